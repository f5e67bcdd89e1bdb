package org.tandemrc.api.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test network of Linux network namespaces (iproute2's {@code ip netns}; the tests run as root): made
 * by the test, only addresses the test chose, deleted again on {@link #close()} with everything in it.
 * Namespace names get a per-process prefix so parallel or leftover runs never collide. Used by the
 * launcher's end-to-end tests and by the WebConnect benchmark across namespaces ({@link #shape}).
 */
public final class Netns implements AutoCloseable {

    private final String prefix;
    private final List<String> made = new ArrayList<>();
    private int links;

    /** A new, empty network; {@code tag} (a few letters) names its namespaces {@code tdm-TAG-PID-NAME}. */
    public Netns(String tag) {
        this.prefix = "tdm" + tag + "-" + ProcessHandle.current().pid() + "-";
    }

    /** Adds a namespace with its loopback up; returns its full name, for {@code ip netns exec}. */
    public String add(String name) throws IOException, InterruptedException {
        String ns = prefix + name;
        ip("netns", "add", ns);
        made.add(ns);
        ip("-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /**
     * Joins two namespaces by a veth pair, {@code a} with address {@code addressA} (CIDR) on interface
     * {@code ifA}, {@code b} with {@code addressB} on {@code ifB}, both up.
     */
    public void link(String a, String ifA, String addressA, String b, String ifB, String addressB)
            throws IOException, InterruptedException {
        String tmp = "tdmv" + ProcessHandle.current().pid() % 100000 + "x" + links++;
        ip("-n", a, "link", "add", ifA, "type", "veth", "peer", "name", tmp, "netns", b);
        ip("-n", b, "link", "set", tmp, "name", ifB);
        ip("-n", a, "addr", "add", addressA, "dev", ifA);
        ip("-n", b, "addr", "add", addressB, "dev", ifB);
        ip("-n", a, "link", "set", ifA, "up");
        ip("-n", b, "link", "set", ifB, "up");
    }

    /** The full name of the namespace {@code name} that {@link #add} or {@link #chain} made. */
    public String ns(String name) {
        String ns = prefix + name;
        if (!made.contains(ns)) {
            throw new IllegalArgumentException("no namespace " + name + " in this network");
        }
        return ns;
    }

    /**
     * Adds {@code names} as namespaces in a line, each joined to the next and none forwarding, so the two
     * ends reach each other only through what runs in between (a Gateway, a proxy). Link {@code i} is the
     * network {@code NETWORK.(firstSubnet+i).0/24}, its left namespace {@code .1}, its right one {@code .2};
     * a namespace's interface towards its left neighbour is {@code eth0}, towards its right one {@code eth1}
     * ({@code eth0} for the first). {@link #ns} gives their full names.
     */
    public void chain(String network, int firstSubnet, String... names) throws IOException, InterruptedException {
        for (String name : names) {
            add(name);
        }
        for (int i = 0; i + 1 < names.length; i++) {
            String subnet = network + "." + (firstSubnet + i) + ".";
            link(ns(names[i]), i == 0 ? "eth0" : "eth1", subnet + "1/24", ns(names[i + 1]), "eth0", subnet + "2/24");
        }
    }

    /**
     * Adds {@code hub} with the address {@code service} (on its loopback) and {@code spokes}, each joined to
     * the hub alone: spoke {@code i} on the network {@code NETWORK.(i+1).0/24} ({@code .1} the hub's end,
     * named {@code e} plus the spoke's name, {@code .2} the spoke's {@code eth0}) with a route to the
     * service through the hub, which forwards nothing: the spokes reach the service, not each other.
     *
     * @return the full names of the hub and then the spokes
     */
    public String[] hub(String hub, String service, String network, String... spokes)
            throws IOException, InterruptedException {
        String[] names = new String[spokes.length + 1];
        names[0] = add(hub);
        ip("-n", names[0], "addr", "add", service + "/32", "dev", "lo");
        for (int i = 0; i < spokes.length; i++) {
            names[i + 1] = add(spokes[i]);
            String subnet = network + "." + (i + 1) + ".";
            link(names[0], "e" + spokes[i], subnet + "1/24", names[i + 1], "eth0", subnet + "2/24");
            route(names[i + 1], service + "/32", subnet + "1");
        }
        return names;
    }

    /** Adds a route in {@code ns}: {@code to} (CIDR) via {@code gateway}. */
    public void route(String ns, String to, String gateway) throws IOException, InterruptedException {
        ip("-n", ns, "route", "add", to, "via", gateway);
    }

    /**
     * Limits what leaves interface {@code dev} of {@code ns} to {@code bitsPerSecond} with a token bucket
     * ({@code tc tbf}; this machine's kernel has no {@code netem}, so no delay can be added): a burst of 10 ms
     * of the rate (128 KiB at least, above the largest GSO packet) and up to 50 ms of queue.
     */
    public void shape(String ns, String dev, long bitsPerSecond) throws IOException, InterruptedException {
        long burst = Math.max(128 << 10, bitsPerSecond / 8 / 100);
        run(List.of("tc", "-n", ns, "qdisc", "replace", "dev", dev, "root", "tbf", "rate", bitsPerSecond + "bit", "burst",
                Long.toString(burst), "latency", "50ms"));
    }

    /** Removes what {@link #shape} set on {@code dev} of {@code ns}; nothing when nothing was set. */
    public void unshape(String ns, String dev) throws IOException, InterruptedException {
        new ProcessBuilder("tc", "-n", ns, "qdisc", "del", "dev", dev, "root").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(20, TimeUnit.SECONDS);
    }

    /** Runs {@code ip ARGS}; fails with its output. */
    public static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Whether {@code ns} can open a TCP connection to {@code address:port} within a second. */
    public static boolean canReach(String ns, String address, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "timeout", "2", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String ns : made) {
            // Processes still running in a namespace keep it alive; the tests stop theirs first.
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(20, TimeUnit.SECONDS);
        }
        made.clear();
    }
}
