description = Security Server: one central audit trail for every node (H2 or PostgreSQL, hash-chained, syslog forwarding)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, com.h2database, org.postgresql.jdbc, org.tandemrc.security.audit
