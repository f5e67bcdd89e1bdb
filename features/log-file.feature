description = Audit events to the local log file data/log/events.log (etc/org.tandemrc.log.file.cfg)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, org.tandemrc.log.file
