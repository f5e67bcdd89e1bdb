description = Session types: Send Message, Chat, Remote Control
requires = kernel
bundles = org.tandemrc.api, com.github.luben.zstd-jni, org.tandemrc.session.message, org.tandemrc.session.chat, org.tandemrc.session.remotecontrol
