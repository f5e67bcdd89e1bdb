description = Security Server role: approves nodes by key, central logon (Guest IDs over SRP, a directory), one-time codes, role rules, names, one hash-chained audit trail with syslog forwarding (H2 or PostgreSQL)
requires = kernel, comm-tcp
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, org.tandemrc.profiles, \
          com.h2database, org.postgresql.jdbc, org.tandemrc.security.server, org.tandemrc.security.audit
