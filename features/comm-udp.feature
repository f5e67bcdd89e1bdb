description = UDP communication device (reliable links over datagrams, default port 6502; Host browsing by broadcast and IP broadcast list, H::, U:: and DNS:: names)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, io.netty.common, io.netty.buffer, io.netty.resolver, io.netty.transport, \
          org.tandemrc.comm.udp
