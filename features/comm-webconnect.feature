description = WebConnect communication device (Host and Guest dial out to a Connection Manager and meet on a relay)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, io.netty.common, io.netty.buffer, io.netty.resolver, \
          io.netty.transport, io.netty.transport-native-unix-common, io.netty.codec, io.netty.handler, \
          org.tandemrc.webconnect.protocol, org.tandemrc.comm.webconnect
