description = Session types: Send Message and Chat
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.session.message, org.tandemrc.session.chat
