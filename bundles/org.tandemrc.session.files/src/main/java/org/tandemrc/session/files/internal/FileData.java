package org.tandemrc.session.files.internal;

import java.io.IOException;

/**
 * One file's data, as its sender describes it and its receiver applies it: a start, then copies of
 * blocks of the receiver's basis, literal bytes and runs of zeros, in file order, then the end with
 * the whole file's hash.
 */
interface FileData {

    /**
     * The data begins. {@code from} is 0 for a whole file, or the length of the receiver's partial
     * file when the sender found that partial to be the start of its file (a resumed transfer).
     * {@code size} is the whole file's length: no data goes past it, runs of zeros included.
     */
    void start(long from, long size) throws IOException;

    /** {@code count} blocks of the receiver's basis, from block {@code first}. */
    void copy(long first, int count) throws IOException;

    /** New bytes; the array may be reused once this returns. */
    void literal(byte[] b, int off, int len) throws IOException;

    /** {@code n} zero bytes (holes of a sparse file, for one). */
    void zeros(long n) throws IOException;

    /** The data is complete. */
    void end(End end) throws IOException;

    /**
     * What the sender says of the whole file.
     *
     * @param size     its length
     * @param sha256   the SHA-256 of all its bytes
     * @param modified its modification time, milliseconds since the epoch
     * @param mode     its POSIX permission bits, or -1
     */
    record End(long size, byte[] sha256, long modified, int mode) {
    }
}
