package org.tandemrc.api.files;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A file-transfer session with one Host. Paths on the Host start with {@code /} and the name of one
 * of its shared folders; the Host refuses anything outside them. Not for concurrent use: one
 * operation at a time.
 */
@ProviderType
public interface FileSession extends AutoCloseable {

    /** The Host's shared folders, as entries of {@code /}. */
    default List<FileEntry> shares() throws FileException {
        return list(Place.host("/"));
    }

    /** The entries of a folder, sorted by name. */
    List<FileEntry> list(Place folder) throws FileException;

    /** The entry at a path (not following a final symbolic link), or empty when there is none. */
    Optional<FileEntry> stat(Place path) throws FileException;

    /** Creates a folder and its missing parents. */
    void mkdir(Place folder) throws FileException;

    /** Renames within one side. */
    void rename(Place from, Place to) throws FileException;

    /** Deletes a file, a link, or a folder with everything in it. */
    void delete(Place path) throws FileException;

    /** Copies a file or folder; the destination is a folder to copy into, or the new name. */
    TransferResult copy(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException;

    /** Copies, then deletes each source file that arrived. */
    TransferResult move(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException;

    /**
     * Makes two folders agree: the newer of each file wins, in both directions unless
     * {@link TransferOptions#oneWay()}; only files present on both sides with
     * {@link TransferOptions#onlyExisting()}.
     */
    TransferResult synchronize(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException;

    /** Makes the destination folder equal to the source: copies what differs and deletes extras. */
    TransferResult clone(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException;

    /**
     * Offers one local file to the person at the Host, who saves it where they choose or cancels; also on a
     * Host that shares no folder. Waits for their answer, then sends the file.
     *
     * @return the file's bytes that arrived
     * @throws org.tandemrc.api.guest.GuestException with {@link org.tandemrc.api.guest.GuestException.Reason#SESSION_REFUSED}
     *         when the person cancelled or nobody answered in time (nothing was written on the Host)
     * @since 1.1
     */
    long offer(java.nio.file.Path file) throws FileException, org.tandemrc.api.guest.GuestException,
            InterruptedException;

    /** Ends the session. */
    @Override
    void close();
}
