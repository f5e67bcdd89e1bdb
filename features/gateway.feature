description = Gateway role: logs Guests on (SRP) and routes their links through outgoing device groups to Hosts
requires = kernel, comm-tcp
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, org.tandemrc.profiles, org.tandemrc.gateway
