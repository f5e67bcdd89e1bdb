package org.tandemrc.support.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Result;

class BatchTest {

    private static List<Entry> hosts(int n) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Entry.of("office", "pc" + i, "tcp:10.0.0." + i, "", "", "", "pw"));
        }
        return out;
    }

    @Test
    void atMostParallelHostsRunAtOnceAndEveryOneIsReportedInOrder() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> reported = Collections.synchronizedList(new ArrayList<>());
        List<Batch.Outcome> outcomes = Batch.run(hosts(12), 3, 60, (host, attempt) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(50);
            running.decrementAndGet();
            return "done " + host.description();
        }, (done, total, o) -> {
            assertEquals(12, total);
            reported.add(done);
        });
        assertEquals(3, most.get());
        assertEquals(12, outcomes.size());
        for (int i = 0; i < 12; i++) {
            assertEquals("office/pc" + i, outcomes.get(i).host());
            assertEquals("done pc" + i, outcomes.get(i).output());
            assertTrue(outcomes.get(i).ok());
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), reported);
    }

    @Test
    void aHostThatFailsOrThrowsDoesNotStopTheOthers() throws Exception {
        List<Batch.Outcome> outcomes = Batch.run(hosts(5), 2, 60, (host, attempt) -> {
            if (host.description().equals("pc1")) {
                throw new Exception("wrong password");
            }
            if (host.description().equals("pc3")) {
                throw new IllegalStateException();
            }
            return "ok";
        }, (done, total, o) -> { });
        assertEquals(List.of(true, false, true, false, true), outcomes.stream().map(Batch.Outcome::ok).toList());
        assertEquals("wrong password", outcomes.get(1).output());
        assertEquals("IllegalStateException", outcomes.get(3).output());
    }

    @Test
    void aHostPastItsDeadlineFailsWhileTheOthersFinish() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        List<Batch.Outcome> outcomes = Batch.run(hosts(3), 3, 1, (host, attempt) -> {
            if (host.description().equals("pc0")) {
                // Stands for a Host that does not answer: the deadline expires the attempt, the work notices.
                while (!never.await(20, TimeUnit.MILLISECONDS)) {
                    if (attempt.expired()) {
                        throw new Exception("the connection was closed");
                    }
                }
            }
            return "ok";
        }, (done, total, o) -> { });
        assertFalse(outcomes.get(0).ok());
        assertTrue(outcomes.get(0).output().startsWith("no outcome within 1 s"), outcomes.get(0).output());
        assertTrue(outcomes.get(1).ok() && outcomes.get(2).ok());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20));
    }

    @Test
    void aHostsLongAnswerIsBoundedAndTheLimitsAreChecked() throws Exception {
        List<Batch.Outcome> o = Batch.run(hosts(1), 1, 60, (host, attempt) -> "x".repeat(1_000_000), (d, t, x) -> { });
        assertEquals(Batch.MAX_OUTPUT + 3, o.get(0).output().length());
        assertThrows(IllegalArgumentException.class, () -> Batch.run(hosts(Batch.MAX_HOSTS + 1), 1, 60,
                (host, attempt) -> "", (d, t, x) -> { }));
        assertThrows(IllegalArgumentException.class, () -> Batch.run(hosts(1), Batch.MAX_PARALLEL + 1, 60,
                (host, attempt) -> "", (d, t, x) -> { }));
    }

    @Test
    void aToolsResultFitsOneLine() {
        assertEquals("done", BatchWork.summary(new Result.Message("done")));
        Field secret = Field.of("key", "Key", FieldType.SECRET, false);
        Field code = Field.of("code", "Exit code", FieldType.INTEGER, false);
        assertEquals("Key: ********; Exit code: 0", BatchWork.summary(new Result.Form(List.of(secret, code),
                Map.of("key", "s3cret", "code", "0"))));
        Field memory = Field.of("memory", "Memory", FieldType.BYTES, false);
        assertEquals("Memory: 1.5 KiB", BatchWork.summary(new Result.Form(List.of(memory), Map.of("memory", "1536"))));
        assertEquals("2 row(s); first: 1 | init", BatchWork.summary(new Result.Table(List.of(code, code),
                List.of(List.of("1", "init"), List.of("2", "kthreadd")))));
    }

    @Test
    void theHostOfAPhonebookAddressIsFoundWithoutALookup() {
        assertEquals("10.0.0.5", BatchWork.hostPart("tcp:10.0.0.5:6502"));
        assertEquals("10.0.0.5", BatchWork.hostPart("10.0.0.5"));
        assertEquals("10.0.0.5", BatchWork.hostPart("10.0.0.5:7000"));
        assertEquals("pc.example", BatchWork.hostPart("tcp:pc.example"));
        assertEquals("H::name", BatchWork.hostPart("udp:H::name"));
    }
}
