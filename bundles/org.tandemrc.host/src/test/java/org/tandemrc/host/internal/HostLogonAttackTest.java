package org.tandemrc.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.protocol.ControlMessage;

/**
 * Password guessing and logon floods against a Host with its default settings, as hard as a test
 * can: many connections in parallel from several loopback addresses (127.0.0.x, real TCP), never
 * waiting for an answer. What counts is what the Host evaluated: its SECPW! and HSES+ events.
 */
class HostLogonAttackTest {

    @TempDir
    Path dir;

    /** Runs {@code threads} attackers from {@code source} for {@code millis}; each guesses and leaves at once. */
    private static int attack(TestHost host, List<String> sources, int threadsPerSource, long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(sources.size() * threadsPerSource);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (String source : sources) {
            for (int t = 0; t < threadsPerSource; t++) {
                all.add(pool.submit(() -> {
                    while (!stop.get()) {
                        LogonClient c = LogonClient.connect(source, host.port);
                        try {
                            if (!c.awaitSecured()) {
                                continue;
                            }
                            c.start();
                            ControlMessage ch = c.next(2_000);
                            if (ch != null && ch.type().equals("auth.challenge")) {
                                c.prove(ch, "guess " + sent.incrementAndGet());
                            }
                        } finally {
                            c.link.close("not waiting for the answer");
                        }
                    }
                    return null;
                }));
            }
        }
        Thread.sleep(millis);
        stop.set(true);
        for (Future<?> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return sent.get();
    }

    private static long evaluated(TestHost host, String address) {
        return host.count(EventCodes.PASSWORD_REJECTED, address) + host.count(EventCodes.HOST_SESSION_STARTED, address);
    }

    @Test
    void anAttackerThatDoesNotWaitGetsOnlyTheBurstFromOneAddress() throws Exception {
        try (TestHost host = new TestHost(dir, Map.of())) {
            long t0 = System.nanoTime();
            ExecutorService user = Executors.newSingleThreadExecutor();
            Future<String> during = user.submit(() -> {
                Thread.sleep(5_000);
                return LogonClient.logOn("127.0.0.1", host.port, TestHost.PASSWORD);
            });
            int sent = attack(host, List.of("127.0.0.2"), 8, 15_000);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long guesses = evaluated(host, "127.0.0.2");
            System.out.printf("one address, 8 parallel connections, %.1f s: %d proofs sent, %d evaluated (%.1f per hour)%n",
                    seconds, sent, guesses, guesses * 3600 / seconds);
            assertEquals("auth.ok", during.get(30, TimeUnit.SECONDS), "the right user on another address");
            assertTrue(guesses <= 6, "at most the burst of 5 (+1 refill) may be evaluated, was " + guesses);
            user.shutdown();
        }
    }

    @Test
    void manyAddressesShareTheHostsBudgetAndTheRightUserStillLogsOn() throws Exception {
        try (TestHost host = new TestHost(dir, Map.of())) {
            assertEquals("auth.ok", LogonClient.logOn("127.0.0.1", host.port, TestHost.PASSWORD));
            List<String> sources = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                sources.add("127.0.1." + i);
            }
            ExecutorService user = Executors.newSingleThreadExecutor();
            Future<String> during = user.submit(() -> {
                Thread.sleep(6_000);
                return LogonClient.logOn("127.0.0.1", host.port, TestHost.PASSWORD);
            });
            long t0 = System.nanoTime();
            int sent = attack(host, sources, 1, 12_000);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long guesses = host.count(EventCodes.PASSWORD_REJECTED);
            System.out.printf("40 addresses, %.1f s: %d proofs sent, %d evaluated (%.1f per hour)%n", seconds, sent,
                    guesses, guesses * 3600 / seconds);
            assertEquals("auth.ok", during.get(30, TimeUnit.SECONDS), "the right user, trusted on 127.0.0.1");
            assertTrue(guesses <= 20 + 1, "at most the Host's burst of 20 (+1 refill), was " + guesses);
            user.shutdown();
        }
    }


    @Test
    void anHourOfGuessingOnTheHostsClock() throws Exception {
        org.tandemrc.api.testing.MovedClock clock = new org.tandemrc.api.testing.MovedClock();
        try (TestHost host = new TestHost(dir, Map.of("logon.answer.millis", "0", "max.attempts", "0"), clock)) {
            int tries = 0;
            // A try every 20 s of the Host's time for one hour, plus the first at its start: 181 tries.
            for (long t = 0; t <= 3_600_000L; t += 20_000) {
                clock.set(java.time.Instant.ofEpochMilli(1_000_000_000L + t));
                LogonClient.logOn("127.0.0.9", host.port, "guess " + tries++);
            }
            long guesses = evaluated(host, "127.0.0.9");
            System.out.println("one address, a try every 20 s for one hour of the Host's clock: " + tries + " tries, "
                    + guesses + " evaluated");
            assertTrue(guesses <= 30, "at most 30 an hour, was " + guesses);
            assertTrue(guesses >= 29, "the budget refills over the hour: " + guesses);
            assertEquals("auth.ok", LogonClient.logOn("127.0.0.1", host.port, TestHost.PASSWORD));
        }
    }

    @Test
    void proofsPreparedEarlierAreChargedWhenTheyArrive() throws Exception {
        try (TestHost host = new TestHost(dir, Map.of("attempts.action", "lockout", "max.attempts", "3"))) {
            List<LogonClient> clients = new ArrayList<>();
            List<ControlMessage> challenges = challenged(host, "127.0.0.3", 5, clients);
            for (int i = 0; i < 4; i++) {
                clients.get(i).prove(challenges.get(i), "wrong " + i);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (host.count(EventCodes.HOST_PASSWORD_LIMIT) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, host.count(EventCodes.HOST_PASSWORD_LIMIT), "the address reached the limit");
            clients.get(4).prove(challenges.get(4), TestHost.PASSWORD);
            ControlMessage answer = clients.get(4).next(5_000);
            System.out.println("right proof prepared before the lockout, sent after it: "
                    + (answer == null ? "no answer, " + clients.get(4).closed.getNow("open")
                            : answer.type() + " " + answer.text("reason", "")));
            assertNotEquals("auth.ok", answer == null ? null : answer.type(), "a locked-out address logged on");
            assertEquals("auth.failed", answer == null ? null : answer.type(), "refused with a reason");
            clients.forEach(c -> c.link.close("done"));
        }
    }

    @Test
    void wrongProofsArrivingTogetherReachTheLimitOnce() throws Exception {
        // Each proof passes the lockout check before it is verified; proofs on other connections from the
        // same address, verified at the same moment, must not each act on the limit (lock out again,
        // audit again) once one of them reached it. The rate limiter's own budget is raised so that only
        // the wrong-password limit is at work.
        try (TestHost host = new TestHost(dir, Map.of("attempts.action", "lockout", "max.attempts", "3",
                "logon.address.burst", "100", "logon.address.hour", "1000"))) {
            List<LogonClient> clients = new ArrayList<>();
            // Eight logons may be under way from one address at once (logon.pending.address).
            List<ControlMessage> challenges = challenged(host, "127.0.0.7", 8, clients);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(clients.size());
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                int k = i;
                sent.add(pool.submit(() -> {
                    go.await();
                    clients.get(k).prove(challenges.get(k), "wrong " + k);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
            int refusedOrAnswered = 0;
            for (LogonClient c : clients) {
                ControlMessage answer = c.next(5_000);
                assertNotEquals("auth.ok", answer == null ? null : answer.type());
                refusedOrAnswered++;
            }
            assertEquals(clients.size(), refusedOrAnswered);
            assertEquals(1, host.count(EventCodes.HOST_PASSWORD_LIMIT), "the address reached the limit once");
            clients.forEach(c -> c.link.close("done"));
        }
    }

    /** Opens {@code count} connections from {@code source}, each asking to log on, and returns their challenges. */
    private static List<ControlMessage> challenged(TestHost host, String source, int count, List<LogonClient> clients)
            throws Exception {
        List<ControlMessage> challenges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LogonClient c = LogonClient.connect(source, host.port);
            assertTrue(c.awaitSecured());
            c.start();
            ControlMessage ch = c.next(5_000);
            assertEquals("auth.challenge", ch.type());
            clients.add(c);
            challenges.add(ch);
        }
        return challenges;
    }

    @Test
    void everyAnswerTakesTheSameTime() throws Exception {
        try (TestHost host = new TestHost(dir, Map.of())) {
            long right = answerMillis(host, "127.0.0.4", TestHost.PASSWORD);
            long wrong = answerMillis(host, "127.0.0.5", "not it");
            long right2 = answerMillis(host, "127.0.0.4", TestHost.PASSWORD);
            System.out.println("answer after the proof: right " + right + " ms, wrong " + wrong + " ms, right " + right2 + " ms");
            assertTrue(Math.abs(right - wrong) < 200 && Math.abs(right2 - wrong) < 200,
                    "right " + right + " ms and wrong " + wrong + " ms");
            assertTrue(wrong >= 450, "answers wait for the answer time: " + wrong);
        }
    }

    private static long answerMillis(TestHost host, String source, String password) throws Exception {
        LogonClient c = LogonClient.connect(source, host.port);
        try {
            assertTrue(c.awaitSecured());
            c.start();
            ControlMessage ch = c.next(5_000);
            c.prove(ch, password);
            long t = System.nanoTime();
            ControlMessage a = c.next(10_000);
            assertTrue(a != null && (a.type().equals("auth.ok") || a.type().equals("auth.failed")), String.valueOf(a));
            return (System.nanoTime() - t) / 1_000_000;
        } finally {
            c.link.close("done");
        }
    }

    @Test
    void challengeFloodersDoNotStopARealGuest() throws Exception {
        try (TestHost host = new TestHost(dir, Map.of())) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger starts = new AtomicInteger();
            for (int t = 0; t < 16; t++) {
                String source = "127.0.0." + (10 + t % 4);
                pool.submit(() -> {
                    while (!stop.get()) {
                        LogonClient c = LogonClient.connect(source, host.port);
                        try {
                            if (!c.awaitSecured()) {
                                continue;
                            }
                            for (int i = 0; i < 500 && !stop.get() && c.link.isOpen(); i++) {
                                c.start();
                                starts.incrementAndGet();
                            }
                        } finally {
                            c.link.close("flooded");
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(3_000);
            long t0 = System.nanoTime();
            String result = LogonClient.logOn("127.0.0.1", host.port, TestHost.PASSWORD);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            System.out.println("16 flooders on 4 addresses sent " + starts.get() + " auth.start; the real Guest: "
                    + result + " after " + ms + " ms");
            assertEquals("auth.ok", result);
            assertTrue(ms < 3_000, "a normal logon takes well under 3 s, this one " + ms + " ms");
        }
    }

    @Test
    void connectionsWaitingToLogOnAreBoundedPerAddress() throws Exception {
        try (TestHost host = new TestHost(dir, Map.of())) {
            List<LogonClient> clients = new ArrayList<>();
            int secured = 0;
            for (int i = 0; i < 20; i++) {
                LogonClient c = LogonClient.connect("127.0.0.7", host.port);
                clients.add(c);
                if (c.awaitSecured()) {
                    secured++;
                }
            }
            String other = LogonClient.logOn("127.0.0.8", host.port, TestHost.PASSWORD);
            System.out.println("20 idle connections from one address: " + secured + " admitted; another address: " + other);
            assertTrue(secured <= 8, "at most 8 wait to log on, " + secured + " did");
            assertEquals("auth.ok", other);
            clients.forEach(c -> c.link.close("done"));
        }
    }
}
