description = Tunnel: a Guest's local port reaches a TCP port on or behind the Host (privilege tunnel; destinations per role in etc/org.tandemrc.tool.tunnel.cfg, none by default)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.tunnel
