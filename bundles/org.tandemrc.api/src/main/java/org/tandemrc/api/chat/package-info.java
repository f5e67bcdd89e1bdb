/**
 * Chat from a Guest's program: a front end (the browser console, the command line) opens a chat on a
 * {@link org.tandemrc.api.guest.HostConnection}, sends lines and hears the Host person's lines,
 * without knowing the chat session's wire; it may also take the chats the person at the Host opens.
 */
@Export
@NullMarked
@Version("1.1.0")
package org.tandemrc.api.chat;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
