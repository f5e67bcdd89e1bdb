description = Services: list services with their state; start, stop, restart, enable, disable (systemd or SysV init scripts)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.services
