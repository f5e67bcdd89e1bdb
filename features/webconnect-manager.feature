description = WebConnect Connection Manager role: accounts, Host registration, relay choice, signed pairing tokens (H2 or PostgreSQL)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, io.netty.common, io.netty.buffer, io.netty.resolver, \
          io.netty.transport, io.netty.transport-native-unix-common, io.netty.codec, io.netty.handler, io.netty.codec-http, \
          com.h2database, org.postgresql.jdbc, org.tandemrc.webconnect.protocol, org.tandemrc.webconnect.store, \
          org.tandemrc.webconnect.manager
