# Implementation only: nothing is exported.
description = HTTP tunnel communication device (WebSocket or streaming requests, through web proxies; default port 1970)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, io.netty.common, io.netty.buffer, io.netty.resolver, io.netty.transport, \
          io.netty.transport-native-unix-common, io.netty.codec, io.netty.handler, io.netty.codec-http, \
          io.netty.codec-socks, io.netty.handler-proxy, org.tandemrc.comm.http
