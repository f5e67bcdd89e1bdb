description = Disk Drives: file systems with their size, used and free space; block devices from /sys/block
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.disks
