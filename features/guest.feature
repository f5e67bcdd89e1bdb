description = Guest role: the `tandem guest` command (connect, message, chat)
requires = kernel, comm-tcp, sessions, console
bundles = org.tandemrc.api, bcprov, org.tandemrc.protocol, org.tandemrc.guest
