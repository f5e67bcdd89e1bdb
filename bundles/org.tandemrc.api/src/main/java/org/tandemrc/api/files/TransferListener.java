package org.tandemrc.api.files;

import org.osgi.annotation.versioning.ConsumerType;

/** Hears what a transfer does, for progress bars and logs. Called on the transfer's thread. */
@ConsumerType
public interface TransferListener {

    /** The totals once the work is known: files to transfer and their bytes. */
    default void planned(int files, long bytes) {
    }

    /** A file starts. */
    default void started(String file, long size) {
    }

    /** Bytes of the current file are done (sent or found unchanged). */
    default void progress(String file, long done, long size) {
    }

    /**
     * A file or folder is done: {@code action} is what happened ("copied", "updated", "skipped",
     * "deleted", "created", "failed", ...), {@code detail} why or how much crossed the link.
     */
    default void finished(String file, String action, String detail) {
    }
}
