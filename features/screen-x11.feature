# JNA loads native code once per JVM: updating it needs a restart; the X11 bundle itself swaps live.
description = X11 screen capture (MIT-SHM, XGetImage), input (XTest) and clipboard; needs DISPLAY
requires = kernel
bundles = org.tandemrc.api, com.sun.jna, org.tandemrc.screen.x11, org.tandemrc.clipboard.awt
