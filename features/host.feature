description = Host role: listens on its communication profiles for Guests
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.host
