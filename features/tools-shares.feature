description = Shared Folders: the Host's file-transfer shares listed, added, changed and removed from a Guest (remote management; the maintenance password where set)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.shares
