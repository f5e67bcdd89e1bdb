description = The terminal as the person at the node: messages, chat, confirm-access questions
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, org.tandemrc.terminal
