package org.tandemrc.terminal.internal;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/** An input the test types into; read blocks until something is typed or {@link #eof()}. */
final class TypedInput extends InputStream {
    private static final byte[] EOF = new byte[0];
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    void type(String text) {
        chunks.add(text.getBytes(StandardCharsets.UTF_8));
    }

    void eof() {
        chunks.add(EOF);
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws InterruptedIOException {
        if (len == 0) {
            return 0;
        }
        while (pos == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                throw new InterruptedIOException("interrupted");
            }
            pos = 0;
            if (current == EOF) {
                ended = true;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }
}
