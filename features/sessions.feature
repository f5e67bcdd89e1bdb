description = Session types: Send Message, Chat, Remote Control, File Transfer, Remote Management
requires = kernel
bundles = org.tandemrc.api, org.tandemrc.support, bcprov, org.tandemrc.protocol, com.github.luben.zstd-jni, org.tandemrc.session.message, org.tandemrc.session.chat, org.tandemrc.session.remotecontrol, org.tandemrc.session.files, org.tandemrc.session.tools
