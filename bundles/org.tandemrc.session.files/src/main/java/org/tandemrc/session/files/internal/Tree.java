package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.tandemrc.api.files.FileEntry;

/** One side of a transfer: this machine's files, or a Host's shared folders. */
interface Tree {

    /** The entry at a path, not following a final link. */
    Optional<FileEntry> stat(String path) throws IOException;

    /** A folder's entries, sorted by name. */
    List<FileEntry> list(String path) throws IOException;

    void mkdirs(String path) throws IOException;

    /** Deletes a file, a link, or a folder with everything in it. */
    void delete(String path) throws IOException;

    void rename(String from, String to) throws IOException;

    void symlink(String path, String target) throws IOException;

    /** The path of a name within a folder. */
    String child(String folder, String name);

    /** The last name of a path. */
    String name(String path);
}
