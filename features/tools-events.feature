description = Event Viewer: the journal or the syslog files, filtered, and followed as a text stream
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.events
