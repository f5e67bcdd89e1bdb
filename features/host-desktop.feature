# Installed by `tandem start` and `tandem host` when DISPLAY names a display that answers; a headless
# Host keeps the terminal's prompts (this bundle's prompt ranks above them where both are present).
description = The person at the Host on their desktop: confirm access with a countdown, notices, connected Guests and Disconnect; needs DISPLAY
requires = kernel, host
bundles = org.tandemrc.api, org.tandemrc.support, org.tandemrc.host.desktop
