description = Guest role: the `tandem guest` command (connect, message, chat, files) and the phonebook
requires = kernel, comm-tcp, sessions, console, log-file
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, org.tandemrc.profiles, org.tandemrc.guest, org.tandemrc.phonebook
