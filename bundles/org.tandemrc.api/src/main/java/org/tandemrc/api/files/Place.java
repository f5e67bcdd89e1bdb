package org.tandemrc.api.files;

/**
 * Where a transfer reads or writes: a path on this Guest's disk, or a path within a Host's shared
 * folders ({@code /SHARE/dir/file}; {@code /} lists the shares).
 *
 * @param remote true for the Host's side of the session
 * @param path   a local file-system path, or a Host path starting with {@code /}
 */
public record Place(boolean remote, String path) {

    public Place {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a place needs a path");
        }
    }

    /** A path on this Guest. */
    public static Place local(String path) {
        return new Place(false, path);
    }

    /** A path within the Host's shares. */
    public static Place host(String path) {
        return new Place(true, path);
    }

    @Override
    public String toString() {
        return remote ? "host:" + path : path;
    }
}
