description = Session types: Send Message, Chat, Remote Control
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.session.message, org.tandemrc.session.chat, org.tandemrc.session.remotecontrol
