package org.tandemrc.api.files;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * How copy, move, synchronize and clone treat what they meet, after the reference's File Manager
 * options and script settings.
 *
 * @param subfolders     include subfolders of a folder
 * @param overwrite      when the destination already has the file
 * @param readOnly       whether existing read-only destination files may be overwritten or deleted
 * @param hidden         whether hidden source files are transferred (and hidden extras deleted by clone)
 * @param onlyExisting   synchronize: only files that already exist on the other side
 * @param oneWay         synchronize: only from source to destination, never back
 * @param onError        what to do when one file fails
 * @param retries        attempts after the first, for {@link OnError#RETRY}
 * @param delta          send only the changed blocks of files the destination already has
 * @param confirm        when the {@link TransferListener} is asked before a destination file or folder is
 *                       replaced or deleted (empty: never asked)
 */
public record TransferOptions(boolean subfolders, Overwrite overwrite, boolean readOnly, boolean hidden,
        boolean onlyExisting, boolean oneWay, OnError onError, int retries, boolean delta, Set<Confirm> confirm) {

    /** When the destination already has a file of the same name. */
    public enum Overwrite {
        /** Always replace it. */
        ALWAYS,
        /** Replace it when the source is newer (or differs in size at the same time). */
        NEWER,
        /** Never replace it; skip the file. */
        NEVER
    }

    /**
     * When to ask before changing the destination, after the reference's Confirmation options. There
     * is no rule for "system" files: POSIX file systems have no such attribute.
     */
    public enum Confirm {
        /** Before any file is overwritten or deleted. */
        REPLACE,
        /** Before a read-only file is overwritten or deleted. */
        READ_ONLY,
        /** Before a hidden file is overwritten or deleted. */
        HIDDEN,
        /** Before a folder that still holds files or folders is deleted. */
        FOLDER
    }

    /** What to do when a file fails. */
    public enum OnError {
        /** Report it and go on with the next file. */
        NEXT,
        /** Try again {@code retries} times, then go on with the next file. */
        RETRY,
        /** Stop the whole operation. */
        STOP
    }

    public TransferOptions {
        if (overwrite == null || onError == null) {
            throw new IllegalArgumentException("overwrite and on-error rules are required");
        }
        if (retries < 0 || retries > 100) {
            throw new IllegalArgumentException("retries must be 0..100, not " + retries);
        }
        confirm = confirm == null || confirm.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(confirm));
    }

    /**
     * Subfolders included, newer files replace older, read-only and hidden files too, on error go on,
     * delta on, nothing asked.
     */
    public static TransferOptions defaults() {
        return new TransferOptions(true, Overwrite.NEWER, true, true, false, false, OnError.NEXT, 0, true, Set.of());
    }
}
