description = WebConnect Connection Server (relay) role: pairs dial-ins by signed token and splices their bytes, with bandwidth caps
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, io.netty.common, io.netty.buffer, io.netty.resolver, \
          io.netty.transport, io.netty.transport-native-unix-common, io.netty.codec, io.netty.handler, \
          com.h2database, org.postgresql.jdbc, org.tandemrc.webconnect.protocol, org.tandemrc.webconnect.store, \
          org.tandemrc.webconnect.relay
