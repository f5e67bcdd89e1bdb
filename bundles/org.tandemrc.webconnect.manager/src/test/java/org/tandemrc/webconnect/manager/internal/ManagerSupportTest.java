package org.tandemrc.webconnect.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.protocol.Pairing;
import org.tandemrc.webconnect.protocol.Support;

/**
 * Support sessions at a real Connection Manager over TCP: a supporter's Guest creates one, a temporary
 * Host joins with the code (no account password), the supporter connects to {@code support:CODE}; and
 * the attacks on the code: guessing, timing, expiry, reuse by another computer, limits, ending.
 */
class ManagerSupportTest {

    private static final String PASSWORD = RawClient.PASSWORD;
    private ManagerServer manager;
    private int port;
    private final AuditCapture capture = new AuditCapture();
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        capture.start();
        manager = RawClient.started(30, "acme", "other");
        port = RawClient.port(manager);
        // A relay as the manager sees one: the pairing is made and both sides told; no bytes flow here.
        manager.store().update("insert into wc_relay (id, address, sessions, heartbeat, info) values (?,?,?,?,?)", "r1",
                "127.0.0.1:9", 0, System.currentTimeMillis() + 600_000, "");
    }

    @AfterEach
    void stop() throws Exception {
        for (RawClient c : clients) {
            c.close();
        }
        manager.stop();
        capture.stop();
    }

    private RawClient client(String source) throws Exception {
        RawClient c = new RawClient(source, port);
        clients.add(c);
        return c;
    }

    private RawClient supporter(String account) throws Exception {
        RawClient c = client("127.0.0.1");
        assertEquals("welcome", c.logOn(account, "guest", PASSWORD));
        return c;
    }

    /** The session the manager answers, or throws with its reason. */
    private static Support.Session session(RawClient c) throws Exception {
        WireReader f = c.read();
        int type = f.u8("type");
        if (type != Frames.SUPPORT) {
            throw new AssertionError("not a SUPPORT frame but " + type + ": " + (type == Frames.ERROR ? Fields.string(f, "reason") : ""));
        }
        return Support.Session.read(f);
    }

    /** The ERROR reason the manager answers without closing. */
    private static String error(RawClient c) throws Exception {
        WireReader f = c.read();
        assertEquals(Frames.ERROR, f.u8("type"));
        return Fields.string(f, "reason");
    }

    private static Support.Session create(RawClient guest, String supporter) throws Exception {
        guest.frame(new Support.Create(supporter, 0, 0).frame());
        return session(guest);
    }

    /** A temporary Host's join: its SUPPORT_JOINED, or null with the refusal in {@code why[0]}. */
    private Support.Joined join(RawClient host, String code, String instance, String[] why) throws Exception {
        host.frame(new Logon.Request(Frames.VERSION, "", Support.ROLE).frame());
        host.frame(new Support.Join(code, instance).frame());
        WireReader f = host.read();
        int type = f.u8("type");
        if (type == Frames.SUPPORT_JOINED) {
            return Support.Joined.read(f);
        }
        assertEquals(Frames.ERROR, type);
        why[0] = Fields.string(f, "reason");
        assertEquals(-1, host.in.read(), "a refused join is closed");
        return null;
    }

    private Support.Joined joinAndRegister(RawClient host, String code, String instance) throws Exception {
        String[] why = new String[1];
        Support.Joined j = join(host, code, instance, why);
        assertTrue(j != null, "joined: " + why[0]);
        host.frame(new Pairing.Register(j.hostName(), instance, List.of()).frame());
        WireReader f = host.read();
        assertEquals(Frames.REGISTERED, f.u8("type"));
        assertEquals(j.hostName(), Fields.string(f, "host name"));
        return j;
    }

    private static String connect(RawClient guest, String target) throws Exception {
        guest.frame(Frames.frame(Frames.CONNECT, Fields.string(new org.tandemrc.protocol.codec.WireWriter(), target)));
        WireReader f = guest.read();
        int type = f.u8("type");
        return type == Frames.PAIRED ? "paired with " + Pairing.Paired.read(f).hostName() : Fields.string(f, "reason");
    }

    private List<String> audit() {
        return capture.lines();
    }

    @Test
    void aSupporterCreatesAHostJoinsWithTheCodeAndTheSupporterConnectsAgainAndAgain() throws Exception {
        RawClient guest = supporter("acme");
        long before = System.currentTimeMillis();
        Support.Session s = create(guest, "Sam Supporter");
        assertTrue(s.code().matches("[0-9]{9}"), s.code());
        assertEquals("waiting", s.state());
        assertTrue(s.codeExpires() >= before + 20 * 60_000L && s.codeExpires() <= System.currentTimeMillis() + 20 * 60_000L);
        assertEquals(24 * 60, s.lifetimeMinutes());

        RawClient host = client("127.0.0.20");
        // Read aloud and typed with its groups: the spaces do not matter.
        Support.Joined j = joinAndRegister(host, Support.display(s.code()), "instance-1");
        assertEquals("acme", j.account());
        assertEquals("support-" + s.code(), j.hostName());
        assertEquals("Sam Supporter", j.supporter());
        assertTrue(j.ends() >= before + 24 * 3_600_000L, "the lifetime runs from the join");

        for (int i = 0; i < 3; i++) {
            assertEquals("paired with support-" + s.code(), connect(guest, "support:" + s.code()));
            WireReader offer = host.read();
            assertEquals(Frames.OFFER, offer.u8("type"), "the Host is offered each connection");
        }
        // Another account's Guest cannot use the code.
        RawClient stranger = supporter("other");
        assertTrue(connect(stranger, "support:" + s.code()).startsWith("no active support session"));
        List<String> lines = audit();
        assertTrue(lines.stream().anyMatch(l -> l.contains("TWCSUP*") && l.contains("created by Sam Supporter")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("TWCSUP+") && l.contains("127.0.0.20")), lines.toString());
    }

    @Test
    void aTemporaryHostRegistersOnlyUnderItsSessionsNameAndGetsNoTickets() throws Exception {
        RawClient guest = supporter("acme");
        Support.Session s = create(guest, "Sam");
        RawClient host = client("127.0.0.21");
        String[] why = new String[1];
        Support.Joined j = join(host, s.code(), "instance-1", why);
        host.frame(new Pairing.Register("payroll-server", "instance-1", List.of()).frame());
        assertEquals("a temporary Host registers as '" + j.hostName() + "'", host.refusal());
        assertTrue(connect(guest, "payroll-server").startsWith("no Host named 'payroll-server'"));
    }

    @Test
    void aWrongCodeIsRefusedInTheSameTimeAsARightOneAndGuessingIsThrottled() throws Exception {
        RawClient guest = supporter("acme");
        Support.Session s = create(guest, "Sam");
        String wrong = String.format("%09d", (Integer.parseInt(s.code()) + 1) % 1_000_000_000);
        String[] why = new String[1];

        long t0 = System.nanoTime();
        assertEquals(null, join(client("127.0.0.30"), wrong, "instance-1", why));
        long wrongMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(SupportSessions.REFUSED, why[0]);

        t0 = System.nanoTime();
        assertTrue(join(client("127.0.0.31"), s.code(), "instance-1", why) != null);
        long rightMillis = (System.nanoTime() - t0) / 1_000_000;
        long answer = org.tandemrc.protocol.logon.LogonLimits.defaults().answer().toMillis();
        System.out.println("support code answers: wrong " + wrongMillis + " ms, right " + rightMillis + " ms (answer time "
                + answer + " ms)");
        // The engine holds every answer until the answer time after the proof: neither can be quicker.
        assertTrue(wrongMillis >= answer - 5 && rightMillis >= answer - 5, wrongMillis + " / " + rightMillis);
        assertTrue(Math.abs(wrongMillis - rightMillis) < answer, wrongMillis + " / " + rightMillis);

        // Guessing from one address: the logon limits (burst 5) stop the evaluation, even of a right code.
        Support.Session other = create(supporter("acme"), "Kim");
        int evaluated = 0;
        String last = "";
        for (int i = 0; i < 12; i++) {
            join(client("127.0.0.32"), String.format("%09d", i), "guesser", why);
            last = why[0];
            if (SupportSessions.REFUSED.equals(why[0])) {
                evaluated++;
            }
        }
        assertTrue(evaluated <= 5, "at most the burst evaluated: " + evaluated);
        assertTrue(last.startsWith("logon refused:"), last);
        assertEquals(null, join(client("127.0.0.32"), other.code(), "guesser", why), "the guessing address is held back");
        assertTrue(join(client("127.0.0.33"), other.code(), "instance-2", why) != null, "the code was not spent: " + why[0]);
        List<String> lines = audit();
        assertTrue(lines.stream().filter(l -> l.contains("TWCSUP!") && l.contains("127.0.0.32")).count() >= evaluated,
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("HSECPWLIM!") && l.contains("127.0.0.32")), lines.toString());
    }

    @Test
    void anExpiredACancelledAndAnUnknownCodeAreRefusedAlike() throws Exception {
        RawClient guest = supporter("acme");
        Support.Session expired = create(guest, "Sam");
        manager.store().update("update wc_support set code_expires=? where code=?", System.currentTimeMillis() - 1,
                expired.code());
        String[] why = new String[1];
        assertEquals(null, join(client("127.0.0.40"), expired.code(), "i", why));
        assertEquals(SupportSessions.REFUSED, why[0]);

        Support.Session cancelled = create(guest, "Kim");
        guest.frame(new Support.Change(Support.CANCEL, cancelled.code()).frame());
        assertEquals("cancelled", session(guest).state());
        assertEquals(null, join(client("127.0.0.41"), cancelled.code(), "i", why));
        assertEquals(SupportSessions.REFUSED, why[0]);

        assertEquals(null, join(client("127.0.0.42"), "not a code", "i", why));
        assertEquals(SupportSessions.REFUSED, why[0]);
        // The sweep (every heartbeat) removes what expired, like tickets; a loaded machine may take a few.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int left;
        do {
            Thread.sleep(200);
            left = manager.store().run(c -> {
                try (var st = c.createStatement(); var r = st.executeQuery("select count(*) from wc_support")) {
                    r.next();
                    return r.getInt(1);
                }
            });
        } while (left != 0 && System.nanoTime() < deadline);
        assertEquals(0, left);
        assertTrue(audit().stream().anyMatch(l -> l.contains("TWCSUP*") && l.contains("expired: no Host joined in time")
                && l.contains(expired.code().substring(6))), audit().toString());
    }

    @Test
    void extendKeepsTheCodeValidAfreshAndRenewGivesANewOneAndTheOldOneNoLongerWorks() throws Exception {
        RawClient guest = supporter("acme");
        Support.Session s = create(guest, "Sam");
        manager.store().update("update wc_support set code_expires=? where code=?", System.currentTimeMillis() + 5_000,
                s.code());
        guest.frame(new Support.Change(Support.EXTEND, Support.display(s.code())).frame());
        Support.Session extended = session(guest);
        assertEquals(s.code(), extended.code());
        assertTrue(extended.codeExpires() > System.currentTimeMillis() + 19 * 60_000L, "valid for 20 minutes again");
        guest.frame(new Support.Change(Support.RENEW, Support.display(s.code())).frame());
        Support.Session fresh = session(guest);
        assertFalse(fresh.code().equals(s.code()));
        assertEquals("waiting", fresh.state());
        String[] why = new String[1];
        assertEquals(null, join(client("127.0.0.45"), s.code(), "i", why));
        assertTrue(join(client("127.0.0.46"), fresh.code(), "i", why) != null, why[0]);
        // Spent now: neither extended nor cancelled.
        guest.frame(new Support.Change(Support.CANCEL, fresh.code()).frame());
        assertTrue(error(guest).contains("already joined"));
    }

    @Test
    void limitsPerSupporterAndPerAccountHold() throws Exception {
        manager.support.limits(new SupportSessions.Limits(1, 3, 20, 24));
        RawClient guest = supporter("acme");
        // The supporter asks for longer than the operator allows: the operator's limits hold.
        long before = System.currentTimeMillis();
        guest.frame(new Support.Create("Sam", 10_000, 100_000).frame());
        Support.Session sam = session(guest);
        assertEquals(24 * 60, sam.lifetimeMinutes());
        assertTrue(sam.codeExpires() <= System.currentTimeMillis() + 20 * 60_000L && sam.codeExpires() >= before);
        guest.frame(new Support.Create("Sam", 0, 0).frame());
        assertTrue(error(guest).contains("supporter 'Sam' already has 1 open support session"));
        create(guest, "Kim");
        create(guest, "Lee");
        guest.frame(new Support.Create("Max", 0, 0).frame());
        assertTrue(error(guest).contains("account 'acme' already has 3 open support sessions"));
        // Another account is not counted with this one.
        create(supporter("other"), "Max");
        guest.frame(new Support.Change(Support.CANCEL, sam.code()).frame());
        session(guest);
        create(guest, "Max");
    }

    @Test
    void endClosesTheHostAndRefusesNewConnectsAndJoins() throws Exception {
        RawClient guest = supporter("acme");
        Support.Session s = create(guest, "Sam");
        RawClient host = client("127.0.0.50");
        joinAndRegister(host, s.code(), "instance-1");
        guest.frame(new Support.Change(Support.END, s.code()).frame());
        assertEquals("ended", session(guest).state());
        assertEquals("the support session was ended by the supporter", host.refusal());
        assertTrue(connect(guest, "support:" + s.code()).startsWith("no active support session"));
        String[] why = new String[1];
        assertEquals(null, join(client("127.0.0.51"), s.code(), "instance-1", why));
        assertEquals(SupportSessions.REFUSED, why[0]);
        assertTrue(audit().stream().anyMatch(l -> l.contains("TWCSUP*") && l.contains("ended")));
    }

    @Test
    void theSupporterListsTheAccountsOpenSessionsAndReadsOneAsItStands() throws Exception {
        RawClient guest = supporter("acme");
        Support.Session sam = create(guest, "Sam");
        Support.Session kim = create(guest, "Kim");
        create(supporter("other"), "Max");
        guest.frame(new Support.Change(Support.CANCEL, kim.code()).frame());
        assertEquals("cancelled", session(guest).state());
        guest.frame(Support.listFrame());
        WireReader f = guest.read();
        assertEquals(Frames.SUPPORT_SESSIONS, f.u8("type"));
        List<Support.Session> open = Support.Sessions.read(f).sessions();
        assertEquals(List.of(sam.code()), open.stream().map(Support.Session::code).toList(), "only acme's open ones");
        assertEquals("Sam", open.get(0).supporter());

        RawClient host = client("127.0.0.70");
        joinAndRegister(host, sam.code(), "instance-1");
        guest.frame(new Support.Change(Support.STATUS, sam.code()).frame());
        Support.Session now = session(guest);
        assertEquals("active", now.state());
        assertTrue(now.ends() > System.currentTimeMillis(), "the lifetime runs from the join");
        guest.frame(new Support.Change(Support.STATUS, kim.code()).frame());
        assertTrue(error(guest).startsWith("no open support session"), "a cancelled one is gone");
        // the status of a session is not an audited change
        assertTrue(audit().stream().noneMatch(l -> l.contains("TWCSUP*") && l.contains("status")));
    }

    @Test
    void thePersonAtTheTemporaryHostEndsTheSessionAndMayEndNoOther() throws Exception {
        RawClient guest = supporter("acme");
        Support.Session mine = create(guest, "Sam");
        Support.Session other = create(supporter("acme"), "Kim");
        RawClient host = client("127.0.0.80");
        joinAndRegister(host, mine.code(), "instance-1");
        host.frame(new Support.Change(Support.END, other.code()).frame());
        assertEquals("a temporary Host may only end its own support session", host.refusal());
        guest.frame(new Support.Change(Support.STATUS, other.code()).frame());
        assertEquals("waiting", session(guest).state(), "the other session is untouched");

        RawClient again = client("127.0.0.80");
        joinAndRegister(again, mine.code(), "instance-1");
        again.frame(new Support.Change(Support.EXTEND, mine.code()).frame());
        assertEquals("a temporary Host may only end its own support session", again.refusal());

        RawClient last = client("127.0.0.80");
        joinAndRegister(last, mine.code(), "instance-1");
        last.frame(new Support.Change(Support.END, Support.display(mine.code())).frame());
        assertEquals("the support session was ended by the person at the temporary Host", last.refusal());
        assertTrue(connect(guest, "support:" + mine.code()).startsWith("no active support session"));
        assertTrue(audit().stream().anyMatch(l -> l.contains("TWCSUP*") && l.contains("by the person at the temporary Host")));
    }

    @Test
    void theSameHostRejoinsWithinTheLifetimeAndAnotherComputerIsRefused() throws Exception {
        RawClient guest = supporter("acme");
        Support.Session s = create(guest, "Sam");
        RawClient host = client("127.0.0.60");
        Support.Joined first = joinAndRegister(host, s.code(), "instance-1");
        host.close();
        String[] why = new String[1];
        assertEquals(null, join(client("127.0.0.61"), s.code(), "instance-2", why), "another computer");
        assertEquals(SupportSessions.REFUSED, why[0]);
        RawClient back = client("127.0.0.60");
        Support.Joined again = joinAndRegister(back, s.code(), "instance-1");
        assertEquals(first.ends(), again.ends(), "rejoining does not extend the lifetime");
        assertEquals("paired with support-" + s.code(), connect(guest, "support:" + s.code()));

        // The lifetime runs out: the Host is closed at the next heartbeat, and Guests are refused.
        manager.store().update("update wc_support set ends=? where code=?", System.currentTimeMillis() - 1, s.code());
        back.s.setSoTimeout(10_000);
        WireReader f = back.read();
        int type = f.u8("type");
        if (type == Frames.OFFER) {
            f = back.read();
            type = f.u8("type");
        }
        assertEquals(Frames.ERROR, type);
        assertEquals("the support session has ended", Fields.string(f, "reason"));
        assertTrue(connect(guest, "support:" + s.code()).startsWith("no active support session"));
        assertTrue(audit().stream().anyMatch(l -> l.contains("TWCSUP*") && l.contains("its lifetime ran out")));
    }

    /** Runs {@code tandem admin webconnect ARGS}; returns the exit code and what it printed. */
    private String admin(String... args) {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int rc = new AdminCommand(manager).run(List.of(args), java.io.InputStream.nullInputStream(),
                new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        return rc + " " + out + err;
    }

    @Test
    void theAdministratorCreatesExtendsAndEndsSupportSessions() throws Exception {
        String made = admin("support", "new", "acme", "--supporter", "Ann", "--lifetime-minutes", "30");
        assertTrue(made.startsWith("0 support session "), made);
        assertTrue(made.contains(": waiting, code valid until "), made);
        assertTrue(made.contains("lifetime 30 min"), made);
        String code = made.replaceAll("(?s).*support-code = ([0-9]{9}).*", "$1");
        assertTrue(admin("support", "new", "acme", "--supporter", "Ann").contains("supporter 'Ann' already has 1"));
        assertTrue(admin("support", "new", "acme").startsWith("2 support new needs --supporter"));

        assertTrue(admin("support", "extend", "acme", code).contains("support-code = " + code), "extend keeps the code");
        String extended = admin("support", "renew", "acme", code);
        String fresh = extended.replaceAll("(?s).*support-code = ([0-9]{9}).*", "$1");
        assertFalse(fresh.equals(code), extended);
        RawClient host = client("127.0.0.70");
        Support.Joined j = joinAndRegister(host, fresh, "instance-1");
        assertEquals("Ann", j.supporter());
        assertTrue(j.ends() <= System.currentTimeMillis() + 30 * 60_000L, "the lifetime asked for");
        assertTrue(admin("support", "cancel", "acme", fresh).contains("already joined: end it instead"));
        assertTrue(admin("support", "end", "other", fresh).startsWith("1 no open support session"),
                "another account's session is not this one's to end");
        assertTrue(admin("support", "end", "acme", fresh).startsWith("0 support session "), "ended");
        assertEquals("the support session was ended by the manager's administrator", host.refusal());
        assertTrue(audit().stream().anyMatch(l -> l.contains("TWCSUP*") && l.contains("by the manager's administrator")));
    }
}
