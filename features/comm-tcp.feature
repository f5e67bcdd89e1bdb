description = TCP communication device (IPv4 and IPv6, default port 6502)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, io.netty.common, io.netty.buffer, io.netty.resolver, io.netty.transport, \
          io.netty.codec, org.tandemrc.comm.tcp
