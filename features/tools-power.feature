description = System Control: restart, shut down, log off, lock, after a message and a countdown the person at the Host sees (host-desktop shows it) and may postpone
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.power
