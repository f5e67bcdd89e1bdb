description = Security Server client of any node: delegated logons (access method security-server), the central audit trail with a durable outbox, names (etc/org.tandemrc.security.client.cfg)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, org.tandemrc.security.client
