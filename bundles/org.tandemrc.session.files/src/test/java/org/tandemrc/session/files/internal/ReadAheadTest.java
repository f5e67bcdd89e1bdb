package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A file read and hashed ahead by a thread of its own: the same bytes and hash, and the thread never outlives it. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadAheadTest {

    @TempDir
    Path tmp;

    private Path file(int length) throws IOException {
        byte[] b = new byte[length];
        new Random(length).nextBytes(b);
        return Files.write(tmp.resolve("f" + length), b);
    }

    private static boolean readerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("tandem-files-read") && t.isAlive());
    }

    @Test
    void chunksAndStreamGiveTheFileAndItsHash() throws Exception {
        for (int length : new int[] {0, 1, ReadAhead.CHUNK, ReadAhead.CHUNK + 1, (ReadAhead.DEPTH + 5) * ReadAhead.CHUNK + 3}) {
            Path f = file(length);
            byte[] want = Files.readAllBytes(f);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (SeekableByteChannel ch = Files.newByteChannel(f);
                    ReadAhead r = new ReadAhead(ch, LocalTree.sha256(), () -> false, "test")) {
                for (byte[] b = r.next(); b != null; b = r.next()) {
                    got.write(b, 0, r.length());
                }
                assertNull(r.next(), "the end stays the end");
                assertArrayEquals(LocalTree.sha256().digest(want), r.digest(), length + " bytes");
            }
            assertArrayEquals(want, got.toByteArray(), length + " bytes");
            // As a stream, from a position (a resumed file).
            try (SeekableByteChannel ch = Files.newByteChannel(f)) {
                int from = length / 3;
                ch.position(from);
                MessageDigest md = LocalTree.sha256();
                try (ReadAhead r = new ReadAhead(ch, md, () -> false, "test")) {
                    byte[] rest = r.readAllBytes();
                    assertEquals(length - from, rest.length);
                    assertArrayEquals(LocalTree.sha256().digest(rest), r.digest());
                }
            }
        }
    }

    @Test
    void theHashIsRefusedBeforeTheEnd() throws Exception {
        try (SeekableByteChannel ch = Files.newByteChannel(file(3 * ReadAhead.CHUNK));
                ReadAhead r = new ReadAhead(ch, LocalTree.sha256(), () -> false, "test")) {
            r.next();
            assertThrows(IllegalStateException.class, r::digest);
        }
    }

    @Test
    void closingEarlyStopsTheReaderThatWaitsForRoom() throws Exception {
        Path f = file((ReadAhead.DEPTH * 4) * ReadAhead.CHUNK);
        try (SeekableByteChannel ch = Files.newByteChannel(f)) {
            ReadAhead r = new ReadAhead(ch, LocalTree.sha256(), () -> false, "test");
            r.next();
            Thread.sleep(200); // the reader fills its queue and waits
            r.close();
            assertFalse(readerAlive(), "the reader outlived its file");
        }
    }

    @Test
    void theSessionsEndStopsTheReader() throws Exception {
        AtomicBoolean ended = new AtomicBoolean();
        Path f = file((ReadAhead.DEPTH * 4) * ReadAhead.CHUNK);
        try (SeekableByteChannel ch = Files.newByteChannel(f);
                ReadAhead r = new ReadAhead(ch, LocalTree.sha256(), ended::get, "test")) {
            ended.set(true);
            assertThrows(InterruptedIOException.class, () -> {
                while (r.next() != null) {
                    // take what was read before the end
                }
            });
        }
        assertFalse(readerAlive(), "the reader outlived its file");
    }
}
