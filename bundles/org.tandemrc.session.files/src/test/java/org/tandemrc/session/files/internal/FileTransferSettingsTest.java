package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.testing.FakeChannel;
import org.tandemrc.api.testing.FakeContext;

/** {@code etc/org.tandemrc.files.cfg} as the Host reads it. */
class FileTransferSettingsTest {

    @TempDir
    Path tmp;

    private static String refusal(FileTransfer type) {
        FakeChannel channel = FakeChannel.pair()[1];
        // Opened even without shares (a Guest may offer a file): the first request other than an offer is refused.
        type.open(new FakeContext(Side.HOST, channel, "alice", "desk-1", List.of(), Set.of(Privilege.TRANSFER_FILES)))
                .received(FileWire.encode(new FileWire.ListFolder("/")));
        long until = System.nanoTime() + 10_000_000_000L;
        while (channel.closeReason == null && channel.sent.isEmpty() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return channel.closeReason;
    }

    @Test
    void sharesAreReadFromACommaListOrAnArray() throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Path drop = Files.createDirectories(tmp.resolve("drop"));
        assertEquals(Map.of("docs", docs, "drop", drop), FileTransfer.parseShares(new String[] {"docs=" + docs,
                " drop=" + drop + " "}));
        FileTransfer type = new FileTransfer();
        type.modified(Map.of("shares", "docs=" + docs + ", drop=" + drop));
        assertNull(refusal(type), "both shares exist, so the session opens");
    }

    @Test
    void aBadShareIsRefusedInTheOneStyleAndTheHostSharesNothing() {
        FileTransfer type = new FileTransfer();
        type.modified(Map.of("shares", "docs"));
        assertEquals("this Host's shares are misconfigured: org.tandemrc.files: shares=docs is not NAME=PATH",
                refusal(type));
        type.modified(Map.of("shares", new String[] {"docs=relative/path"}));
        assertEquals("this Host's shares are misconfigured: org.tandemrc.files: shares=docs=relative/path needs an "
                + "absolute path", refusal(type));
        type.modified(Map.of("shares", "..=" + tmp));
        assertEquals("this Host's shares are misconfigured: org.tandemrc.files: shares=..=" + tmp
                + " names a share with / or \\ or as . or ..", refusal(type));
        type.modified(Map.of());
        assertEquals("this Host shares no folders (its owner sets shares = NAME=PATH in etc/org.tandemrc.files.cfg)",
                refusal(type));
    }
}
