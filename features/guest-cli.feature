description = Guest command line: the `tandem guest` command (connect, message, chat, screen, files, tools, inventory)
requires = guest
bundles = com.fasterxml.jackson.core.jackson-annotations, com.fasterxml.jackson.core.jackson-core, \
          com.fasterxml.jackson.core.jackson-databind, org.tandemrc.guest.cli
