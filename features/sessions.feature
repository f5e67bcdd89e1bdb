description = Session types: Send Message, Chat, Remote Control, File Transfer, Remote Management
requires = kernel
bundles = org.tandemrc.api, com.github.luben.zstd-jni, org.apache.commons.commons-io, org.apache.commons.lang3, org.apache.commons.commons-logging, org.apache.commons.vfs2, org.tandemrc.session.message, org.tandemrc.session.chat, org.tandemrc.session.remotecontrol, org.tandemrc.session.files, org.tandemrc.session.tools
