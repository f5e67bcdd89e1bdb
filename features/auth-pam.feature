# Implementation only: nothing is exported.
# JNA loads native code once per JVM: updating it needs a restart; the PAM bundle itself swaps live.
description = Access method pam: Guests log on with an account of the Host machine, checked by PAM (service tandem); its OS groups give the role (etc/org.tandemrc.auth.pam.cfg)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, com.sun.jna, org.tandemrc.auth.pam
