# The browser console. SPI Fly (with ASM) comes first: it wires the ServiceLoader lookups of SLF4J
# and Jetty as their bundles load. Jetty listens on org.apache.felix.http.host:org.osgi.service.http.port,
# which the launcher sets (tandem console --http, default 127.0.0.1:6580), or serves HTTPS on
# ...port.secure with the key store the launcher writes (tandem console --https).
description = The browser console of a Guest: phonebook, connections, remote screen, files, chat, tools (HTTP on loopback)
requires = kernel, guest
bundles = org.objectweb.asm, org.objectweb.asm.tree, org.objectweb.asm.tree.analysis, org.objectweb.asm.commons, \
          org.objectweb.asm.util, org.apache.aries.spifly.dynamic.bundle, slf4j.api, slf4j.jdk14, \
          org.apache.commons.commons-io, org.apache.commons.commons-fileupload, org.apache.felix.http.servlet-api, \
          org.apache.felix.http.jetty12, com.fasterxml.jackson.core.jackson-annotations, \
          com.fasterxml.jackson.core.jackson-core, com.fasterxml.jackson.core.jackson-databind, org.tandemrc.api, \
          org.tandemrc.support, org.tandemrc.webconsole
