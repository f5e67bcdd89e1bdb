package org.tandemrc.api.files;

import org.jspecify.annotations.Nullable;
/**
 * One name in a folder.
 *
 * @param name     the name within its folder (no separators)
 * @param kind     file, folder or symbolic link
 * @param size     bytes of a file, 0 otherwise
 * @param modified last modification, milliseconds since the epoch
 * @param mode     POSIX permission bits ({@code 0644}), or -1 where the file system has none
 * @param hidden   whether the file system hides it (a leading dot on POSIX)
 * @param target   a symbolic link's target as stored, else null
 */
public record FileEntry(String name, Kind kind, long size, long modified, int mode, boolean hidden,
        @Nullable String target) {

    /** What a name is. */
    public enum Kind {
        FILE, FOLDER, LINK
    }

    public FileEntry {
        if (name == null || kind == null) {
            throw new IllegalArgumentException("an entry needs a name and a kind");
        }
    }

    /** Whether the owner may not write it (no owner write bit). */
    public boolean readOnly() {
        return mode >= 0 && (mode & 0200) == 0;
    }
}
