description = Local Users and Groups: list users and groups; add, remove, lock, unlock users; group membership (useradd, userdel, usermod, gpasswd)
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.users
