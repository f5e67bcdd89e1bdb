description = Wake-on-LAN through this Host: it broadcasts the magic packet for a MAC address on its own subnets
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.wake
