description = Execute Command (output streamed or as a form, with the exit status) and Run Program in the desktop user's session
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.tool.command
