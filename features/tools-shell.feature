# JNA loads native code once per JVM: updating it needs a restart; the shell bundle itself swaps live.
description = Command Console: an interactive shell on a pseudo-terminal of the Host (privilege execute_command)
requires = kernel
bundles = org.tandemrc.api, com.sun.jna, org.tandemrc.tool.shell
