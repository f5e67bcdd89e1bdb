description = Remote management tools on the JDK alone: Task Manager (list and end processes), System Information
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.system
