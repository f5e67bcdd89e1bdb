# The platform every node runs: Declarative Services, persistent ConfigAdmin and FileInstall.
description = Kernel: Declarative Services, configuration from etc/, plugins from deploy/
bundles = org.osgi.util.function, org.osgi.util.promise, org.osgi.service.component, \
          org.apache.felix.scr, org.apache.felix.configadmin, org.apache.felix.fileinstall
