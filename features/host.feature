description = Host role: listens on its communication profiles, logs Guests on, enforces their roles
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, org.tandemrc.profiles, org.tandemrc.host
