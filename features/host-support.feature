# Installed by the temporary Host download (support-host/): idle unless the Host was started for a
# support session (framework property tandem.support.preset, which its script sets).
description = The temporary Host's support session: asks for the support code, shows who helps, End support; the Host stops when the session ends
requires = kernel, host, comm-webconnect
bundles = org.tandemrc.api, org.tandemrc.support, org.tandemrc.host.support
