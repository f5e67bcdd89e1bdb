description = Guest command line: the `tandem guest` command (connect, message, chat, screen, files, tools)
requires = guest
bundles = org.tandemrc.guest.cli
