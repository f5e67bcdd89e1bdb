package org.tandemrc.comm.udp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DiscoveredHost;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/**
 * A Guest for tests in network namespaces. Arguments: {@code key=value} profile settings, then addresses
 * to connect to. It browses ({@code HOST name|user|address} per Host, then {@code BROWSED n}), then per
 * address connects, sends a message and waits for its echo ({@code ECHO address remote} or
 * {@code FAIL address why}), and ends with {@code DONE}.
 */
public final class GuestMain {

    private GuestMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        int i = 0;
        for (; i < args.length && args[i].contains("="); i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        UdpDevice device = new UdpDevice();
        device.activate();
        CommunicationProfile profile = new CommunicationProfile("test-guest", "udp", settings);
        try {
            var hosts = device.browse(profile, Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            for (DiscoveredHost h : hosts) {
                System.out.println("HOST " + h.name() + "|" + h.user() + "|" + h.address());
            }
            System.out.println("BROWSED " + hosts.size());
            for (; i < args.length; i++) {
                String address = args[i];
                try {
                    CompletableFuture<String> echo = new CompletableFuture<>();
                    Link link = device.connect(profile, address, new LinkHandler() {
                        @Override
                        public void received(Link l, ByteBuffer m) {
                            echo.complete(StandardCharsets.UTF_8.decode(m).toString());
                        }

                        @Override
                        public void closed(Link l, String reason) {
                            echo.completeExceptionally(new IllegalStateException("closed: " + reason));
                        }
                    }).toCompletableFuture().get(15, TimeUnit.SECONDS);
                    String text = "hello " + address;
                    link.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                    String back = echo.get(10, TimeUnit.SECONDS);
                    System.out.println(back.equals(text) ? "ECHO " + address + " " + link.remoteAddress()
                            : "FAIL " + address + " echoed '" + back + "'");
                    link.close("done");
                } catch (Exception e) {
                    Throwable c = e.getCause() == null ? e : e.getCause();
                    System.out.println("FAIL " + address + " " + c.getMessage());
                }
            }
        } finally {
            System.out.println("DONE");
            System.out.flush();
            device.deactivate();
        }
    }
}
