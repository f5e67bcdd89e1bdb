package org.tandemrc.tool.shell.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.sun.jna.Library;
import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The master side of one Linux pseudo-terminal, through the C library: {@code posix_openpt},
 * {@code grantpt}, {@code unlockpt}, {@code ptsname_r}, the window size ({@code TIOCSWINSZ}), and
 * {@code poll}/{@code read}/{@code write} on the master. The JVM never opens the slave side itself: a
 * process that opened it without {@code O_NOCTTY} could take it as its own controlling terminal (a node
 * started as a session leader, as service managers do).
 */
final class Pty implements AutoCloseable {

    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    private static final int TIOCSWINSZ = 0x5414;
    private static final short POLLIN = 0x1;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    interface LibC extends Library {
        int posix_openpt(int flags) throws LastErrorException;

        int grantpt(int fd) throws LastErrorException;

        int unlockpt(int fd) throws LastErrorException;

        int ptsname_r(int fd, byte[] buf, long buflen);

        int ioctl(int fd, long request, short[] winsize) throws LastErrorException;

        int poll(int[] fds, long nfds, int timeout) throws LastErrorException;

        long read(int fd, byte[] buf, long count) throws LastErrorException;

        long write(int fd, byte[] buf, long count) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int kill(int pid, int signal) throws LastErrorException;
    }

    private static volatile LibC c;

    private final int fd;
    private final String slave;
    private boolean closed;

    private Pty(int fd, String slave) {
        this.fd = fd;
        this.slave = slave;
    }

    private static LibC libc() {
        LibC l = c;
        if (l == null) {
            l = Native.load("c", LibC.class);
            c = l;
        }
        return l;
    }

    /** Opens a new pseudo-terminal of {@code columns} by {@code rows}. */
    static Pty open(int columns, int rows) throws IOException {
        LibC l = libc();
        int fd;
        try {
            fd = l.posix_openpt(O_RDWR | O_NOCTTY);
        } catch (LastErrorException e) {
            throw new IOException("no pseudo-terminal is free (" + e.getMessage() + ")", e);
        }
        try {
            l.grantpt(fd);
            l.unlockpt(fd);
            byte[] name = new byte[128];
            int rc = l.ptsname_r(fd, name, name.length);
            if (rc != 0) {
                throw new IOException("the pseudo-terminal has no name (error " + rc + ")");
            }
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            Pty pty = new Pty(fd, new String(name, 0, len, StandardCharsets.US_ASCII));
            pty.resize(columns, rows);
            return pty;
        } catch (LastErrorException | IOException e) {
            l.close(fd);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** The slave device's path, e.g. {@code /dev/pts/3}, for the process that runs on it. */
    String slave() {
        return slave;
    }

    /** Sets the window size; the kernel tells the foreground process group (SIGWINCH). */
    synchronized void resize(int columns, int rows) throws IOException {
        if (closed) {
            throw new IOException("the terminal is closed");
        }
        try {
            libc().ioctl(fd, TIOCSWINSZ, new short[] {(short) rows, (short) columns, 0, 0});
        } catch (LastErrorException e) {
            throw new IOException("cannot set the terminal's size: " + e.getMessage(), e);
        }
    }

    /**
     * Waits up to {@code millis} for output and reads what is there into {@code buffer}.
     *
     * @return the bytes read; 0 when none came in time; -1 once no process holds the slave side any more
     */
    int read(byte[] buffer, int millis) throws IOException {
        int[] pollfd = {fd, POLLIN};
        try {
            if (libc().poll(pollfd, 1, millis) == 0) {
                return 0;
            }
            long n = libc().read(fd, buffer, buffer.length);
            return n <= 0 ? -1 : (int) n;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EINTR || e.getErrorCode() == EAGAIN) {
                return 0;
            }
            // EIO: every process closed the slave side (the shell ended).
            return -1;
        }
    }

    /** Writes all of {@code data} (keys typed); blocks while the terminal's input queue is full. */
    void write(ByteBuffer data) throws IOException {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        int off = 0;
        while (off < bytes.length) {
            byte[] chunk = off == 0 ? bytes : Arrays.copyOfRange(bytes, off, bytes.length);
            try {
                long n = libc().write(fd, chunk, chunk.length);
                off += (int) Math.max(0, n);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR && e.getErrorCode() != EAGAIN) {
                    throw new IOException("cannot write to the terminal: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Sends {@code signal} to the process group {@code pgid} (the shell's session). */
    static void signalGroup(long pgid, int signal) {
        try {
            libc().kill((int) -pgid, signal);
        } catch (LastErrorException e) {
            // the group is gone already
        }
    }

    /** Sends {@code signal} to one process. */
    static void signal(long pid, int signal) {
        try {
            libc().kill((int) pid, signal);
        } catch (LastErrorException e) {
            // the process is gone already
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                libc().close(fd);
            } catch (LastErrorException e) {
                // closed is closed
            }
        }
    }
}
