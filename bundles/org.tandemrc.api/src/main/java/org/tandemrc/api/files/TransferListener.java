package org.tandemrc.api.files;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears what a transfer does, for progress bars and logs, and answers its questions. Called on the
 * transfer's thread.
 */
@ConsumerType
public interface TransferListener {

    /** The answer to {@link #confirm}. */
    enum Answer {
        /** Replace or delete this one. */
        YES,
        /** Leave this one as it is (it counts as skipped). */
        NO,
        /** Replace or delete this one and do not ask again for the same reason in this operation. */
        ALL,
        /** Stop the operation here; what was done stays done. */
        CANCEL
    }

    /**
     * Asked before the destination's {@code existing} entry at {@code file} is replaced ({@code delete}
     * false) or deleted, when {@code reason} is among the operation's {@link TransferOptions#confirm()}.
     * Without an answer of its own a listener lets everything happen.
     */
    default Answer confirm(String file, FileEntry existing, boolean delete, TransferOptions.Confirm reason) {
        return Answer.YES;
    }

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
