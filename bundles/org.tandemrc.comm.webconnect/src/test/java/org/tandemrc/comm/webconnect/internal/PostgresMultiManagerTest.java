package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.testing.Postgres;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.relay.internal.RelayServer;

/**
 * A deployment on a real PostgreSQL server (Debian's binaries, started here as the postgres user in a
 * temporary folder on 127.0.0.1): two managers and three relays. The Host registers at manager A, the
 * Guest asks manager B, which must have A tell its Host; the relay in use is killed mid-transfer and the
 * link resumes through another one, the data identical.
 */
class PostgresMultiManagerTest {

    @Test
    void aGuestOnManagerBReachesAHostOnManagerAAndSurvivesARelayDeath() throws Exception {
        try (Postgres pg = Postgres.start()) {
            try (Deployment d = new Deployment(pg.jdbcUrl(), "postgres", "")) {
                ManagerServer a = d.manager();
                ManagerServer b = d.manager();
                List<RelayServer> relays = List.of(d.relay(), d.relay(), d.relay());
                d.account(Deployment.ACCOUNT, Deployment.PASSWORD, 0);
                WebConnectDevice hostDevice = new WebConnectDevice();
                hostDevice.activate();
                WebConnectDevice guestDevice = new WebConnectDevice();
                guestDevice.activate();
                try {
                    long total = 40L << 20;
                    Transfer.Sink sink = new Transfer.Sink(total);
                    try (Endpoint e = hostDevice.listen(new CommunicationProfile("wc", "webconnect",
                            Deployment.settings(a, "pg-host")), l -> sink)) {
                        assertEquals(a.id(), registeredAt(d, "pg-host"), "the Host registered at manager A");
                        Transfer.Source source = new Transfer.Source();
                        Link link = guestDevice.connect(new CommunicationProfile("wc", "webconnect",
                                Deployment.settings(b, null)), "pg-host", source).toCompletableFuture()
                                .get(30, TimeUnit.SECONDS);
                        assertTrue(link.remoteAddress().contains(b.address()), link.remoteAddress());
                        RelayServer[] killed = new RelayServer[1];
                        Thread killer = new Thread(() -> {
                            while (sink.bytes.get() < total / 3) {
                                Thread.onSpinWait();
                            }
                            for (RelayServer r : relays) {
                                if (r.sessions() > 0) {
                                    killed[0] = r;
                                    r.stop(false);
                                    return;
                                }
                            }
                        });
                        killer.start();
                        byte[] sent = Transfer.send(link, source, total, 3);
                        byte[] got = sink.done.get(120, TimeUnit.SECONDS);
                        killer.join();
                        assertArrayEquals(sent, got, "SHA-256 of what arrived differs from what was sent");
                        assertTrue(killed[0] != null, "no relay carried the session");
                        long others = relays.stream().filter(r -> r != killed[0]).mapToLong(RelayServer::bytesRelayed).sum();
                        assertTrue(others > 0, "no other relay carried the rest");
                        assertTrue(link.isOpen());
                    }
                } finally {
                    guestDevice.deactivate();
                    hostDevice.deactivate();
                }
            }
        }
    }

    private static String registeredAt(Deployment d, String host) throws Exception {
        return d.store().run(c -> {
            try (PreparedStatement s = c.prepareStatement("select manager_id from wc_host where name=?")) {
                s.setString(1, host);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
    }
}
