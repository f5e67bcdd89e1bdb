description = Terminal Server communication device: one Host per user session, reached over a Unix domain socket named after the user
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, org.tandemrc.comm.terminalserver
