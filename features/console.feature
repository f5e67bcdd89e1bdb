# The old name of the `terminal` feature (the text prompts for the person at a node's terminal), kept so
# that an etc/node.properties written before the rename still starts; "console" now means the browser
# console only (see docs/names.md).
description = Renamed: use `terminal` (the terminal as the person at the node)
requires = terminal
bundles =
