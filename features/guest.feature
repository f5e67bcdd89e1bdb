description = Guest role: connects to Hosts (for the `tandem guest` command and the browser console) and the phonebook
requires = kernel, comm-tcp, sessions, terminal, log-file
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, org.tandemrc.profiles, org.tandemrc.guest, org.tandemrc.phonebook
