description = Inventory: hardware from /sys and /proc, installed packages (dpkg or rpm), custom items an operator defines
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.inventory
