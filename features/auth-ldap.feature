# Implementation only: nothing is exported. JNDI's LDAP provider is the Java runtime's: no library to add.
description = Access method ldap: Guests log on with their directory account, bound over LDAP, LDAPS or StartTLS; its groups give the role (etc/org.tandemrc.auth.ldap.cfg)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, org.tandemrc.auth.ldap
