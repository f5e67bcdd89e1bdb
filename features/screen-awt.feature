# The portable fallback: where screen-x11 is installed too and has a display, X11 serves (service
# ranking 100 over 50). AWT belongs to the JDK, so this bundle, unlike JNA, updates live.
description = Screen capture and input through java.awt.Robot (any desktop Java runs on; keys of a US layout) and clipboard
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.screen.awt, org.tandemrc.clipboard.awt
