package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.client.OpenStream;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.StreamListener;
import org.tandemrc.api.tool.client.ToolSession;
import org.tandemrc.support.command.ExitStatus;

class InventoryActionsTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicInteger closed = new AtomicInteger();

    private InventoryActions actions() {
        return new InventoryActions(home, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return s;
    }

    private static final List<String> HW = List.of("Category", "Name", "Value");
    private static final List<String> SW = List.of("Package", "Architecture", "Version");

    /** A cell as the Host's tool writes it (InventoryText): backslash, tab, line ends and controls escaped. */
    private static String cell(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return b.toString();
    }

    private static String table(String op, String title, List<String> columns, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("section\t" + op + "\t" + title);
        columns.forEach(c -> b.append('\t').append(cell(c)));
        b.append('\n');
        for (List<String> row : rows) {
            b.append("row");
            row.forEach(c -> b.append('\t').append(cell(c)));
            b.append('\n');
        }
        return b.toString();
    }

    /** A Host whose inventory stream sends this hardware and these packages. */
    private RemoteTools host(String hostName, List<List<String>> hardware, List<List<String>> packages, List<String> calls) {
        return streaming(calls, table("hardware", "Hardware", HW, hardware)
                + table("software", "Installed software", SW, packages), "ok", true);
    }

    /** A Host whose collect stream sends {@code text} in small pieces and ends as told. */
    private RemoteTools streaming(List<String> calls, String text, String sentence, boolean ok) {
        return new RemoteTools() {
            @Override
            public ToolSession open(HostConnection connection) {
                throw new UnsupportedOperationException("the inventory needs no tools session");
            }

            @Override
            public OpenStream stream(HostConnection c, String tool, String op, StreamKind kind, Map<String, String> args,
                    StreamListener listener) {
                calls.add(tool + " " + op + " " + kind + args);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                Thread t = new Thread(() -> {
                    for (int off = 0; off < bytes.length; off += 7) {
                        listener.data(ByteBuffer.wrap(bytes, off, Math.min(7, bytes.length - off)).slice());
                    }
                    listener.ended(sentence, ok);
                });
                t.start();
                return new OpenStream() {
                    @Override
                    public StreamKind kind() {
                        return kind;
                    }

                    @Override
                    public int maxWrite() {
                        return 1024;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<Void> write(ByteBuffer data) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public void resize(int columns, int rows) {
                    }

                    @Override
                    public void close() {
                        calls.add("closed");
                    }
                };
            }
        };
    }

    private HostConnection connection(String hostName) {
        return (HostConnection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HostConnection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "hostName" -> hostName;
                    case "fingerprint" -> "SHA256:test";
                    case "close" -> {
                        closed.incrementAndGet();
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private int run(RemoteTools tools, String hostName, String export, String out, String... words) throws Exception {
        List<String> args = new ArrayList<>(List.of("inventory", "tcp:127.0.0.1:6502"));
        args.addAll(List.of(words));
        return actions().run(args, export, out, work -> {
            // As the command's withTools: the Host's refusal or failure is the command's failure.
            HostConnection c = connection(hostName);
            try {
                return work.run(tools, c);
            } catch (org.tandemrc.api.guest.GuestException e) {
                throw new GuestCommand.Failure(e);
            } catch (org.tandemrc.api.tool.ToolException e) {
                throw new GuestCommand.Failure(e.getMessage());
            } finally {
                c.close("the Guest disconnected");
            }
        });
    }

    private static List<List<String>> rows(String... cells) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < cells.length; i += 3) {
            rows.add(List.of(cells[i], cells[i + 1], cells[i + 2]));
        }
        return rows;
    }

    @Test
    void aCollectedRunIsKeptPerHostWithItsTimeAndPagesAreFollowed() throws Exception {
        List<String> calls = new ArrayList<>();
        RemoteTools tools = host("alpha", rows("Memory", "Total", "16 GiB"),
                rows("bash", "amd64", "5.2", "curl", "amd64", "7.88", "zsh", "amd64", "5.9"), calls);
        assertEquals(ExitStatus.OK, run(tools, "alpha", null, null));
        String said = printed();
        assertTrue(said.startsWith("Kept the inventory of alpha as ") && said.contains(": 4 item(s) in "), said);
        assertEquals(List.of("inventory collect TEXT{}", "closed"), calls);
        assertEquals(1, closed.get(), "disconnected");

        Path folder = home.resolve("data/inventory/host-tcp%3A127.0.0.1%3A6502");
        List<String> names = InventoryActions.names(folder);
        assertEquals(1, names.size());
        InventoryActions.Run kept = actions().read(folder, "x", names.get(0), 0);
        assertEquals("alpha", kept.host());
        assertTrue(kept.millis() >= 0 && kept.started().endsWith("Z"), kept.toString());

        assertEquals(ExitStatus.OK, run(tools, "alpha", null, null));
        assertEquals(2, InventoryActions.names(folder).size(), "a second run in the same second gets its own name");
        printed();
        assertEquals(ExitStatus.OK, run(tools, "alpha", null, null, "runs"));
        assertTrue(printed().contains("2 run(s) in"));
    }

    @Test
    void twoRunsCompareByAddedRemovedAndChangedItems() throws Exception {
        run(host("alpha", rows("Memory", "Total", "16 GiB", "Disk sda", "Size", "1 TiB"),
                rows("bash", "amd64", "5.2", "curl", "amd64", "7.88"), new ArrayList<>()), "alpha", null, null);
        run(host("alpha", rows("Memory", "Total", "32 GiB", "Disk sda", "Size", "1 TiB"),
                rows("bash", "amd64", "5.2", "zsh", "amd64", "5.9"), new ArrayList<>()), "alpha", null, null);
        printed();
        assertEquals(ExitStatus.OK, run(null, "alpha", null, null, "compare"));
        String said = printed();
        assertTrue(said.contains("+ Installed software: zsh / amd64 = 5.9"), said);
        assertTrue(said.contains("- Installed software: curl / amd64 = 7.88"), said);
        assertTrue(said.contains("~ Hardware: Memory / Total: 16 GiB -> 32 GiB"), said);
        assertTrue(said.contains("1 added, 1 removed, 1 changed"), said);

        assertEquals(ExitStatus.OK, run(null, "alpha", "csv", null, "compare"));
        assertEquals("change,section,item,before,after\r\n"
                + "changed,Hardware,Memory / Total,16 GiB,32 GiB\r\n"
                + "added,Installed software,zsh / amd64,,5.9\r\n"
                + "removed,Installed software,curl / amd64,7.88,\r\n", printed());
    }

    @Test
    void aDayNamesTheLastRunKeptOnIt() throws Exception {
        Path folder = actions().folder("tcp:127.0.0.1:6502");
        Files.createDirectories(folder);
        for (String[] run : List.of(new String[] {"20261201T080000Z", "AT-1"}, new String[] {"20261201T170000Z", "AT-2"},
                new String[] {"20261205T090000Z", "AT-3"})) {
            Files.writeString(folder.resolve(run[0] + ".json"), "{\"format\":1,\"address\":\"a\",\"host\":\"h\","
                    + "\"fingerprint\":\"f\",\"started\":\"x\",\"millis\":1,\"problems\":[],\"sections\":[{\"operation\":"
                    + "\"custom\",\"title\":\"Custom items\",\"columns\":[\"Item\",\"Value\"],\"rows\":[[\"Tag\",\"" + run[1]
                    + "\"]]}]}");
        }
        assertEquals(ExitStatus.OK, run(null, "h", "csv", null, "compare", "2026-12-01", "2026-12-05"));
        assertEquals("change,section,item,before,after\r\nchanged,Custom items,Tag,AT-2,AT-3\r\n", printed());
        GuestCommand.Failure f = assertThrows(GuestCommand.Failure.class, () -> run(null, "h", null, null, "show", "2026-12-02"));
        assertEquals(ExitStatus.NOT_FOUND, f.status);
        assertThrows(GuestCommand.Usage.class, () -> run(null, "h", null, null, "show", "2026-12-0"));
    }

    /** Attack: a Host's value that a spreadsheet would run as a formula is exported as text. */
    @Test
    void aFormulaFromTheHostIsDefusedInTheCsvExport() throws Exception {
        run(host("alpha", rows("System", "Product", "=HYPERLINK(\"http://evil\",\"x\")", "@SUM(1)", "+1", "-2"),
                List.of(), new ArrayList<>()), "alpha", null, null);
        Path csv = home.resolve("export.csv");
        assertEquals(ExitStatus.OK, run(null, "alpha", "csv", csv.toString(), "show"));
        String text = Files.readString(csv);
        assertTrue(text.contains(",'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"") || text.contains("\"'=HYPERLINK("),
                text);
        assertTrue(text.contains("'@SUM(1) / +1,'-2"), text);
        for (String line : text.split("\r\n")) {
            for (String cell : line.split(",")) {
                String c = cell.startsWith("\"") ? cell.substring(1) : cell;
                assertFalse(!c.isEmpty() && "=+-@".indexOf(c.charAt(0)) >= 0, "a live formula: " + line);
            }
        }
    }

    /** Attack: a Host's name and values reach the terminal escaped, in every format. */
    @Test
    void controlCharactersFromTheHostNeverReachTheTerminal() throws Exception {
        String evil = "x\u001b]0;owned\u0007\u009b2J\u202e";
        run(host(evil, rows(evil, evil, evil), List.of(), new ArrayList<>()), evil, null, null);
        run(null, evil, "csv", null, "show");
        run(null, evil, "json", null, "show");
        run(null, evil, null, null, "runs");
        String said = printed();
        assertFalse(said.contains("\u001b") || said.contains("\u0007") || said.contains("\u009b") || said.contains("\u202e"),
                said);
    }

    /** Attack: a RUN named on the command line cannot reach outside the Host's folder. */
    @Test
    void aRunNameCannotLeaveTheInventoryFolder() throws Exception {
        Files.writeString(home.resolve("secret.json"), "{}");
        for (String bad : List.of("../../../secret", "/etc/passwd", "20261205T150312Z/../../x", "latest/..", "")) {
            assertThrows(GuestCommand.Usage.class, () -> run(null, "a", null, null, "show", bad), bad);
        }
    }

    /** Attack: an address cannot name a folder outside data/inventory. */
    @Test
    void anAddressStaysOneFolderUnderTheInventory() {
        Path inventory = home.resolve("data/inventory");
        for (String address : List.of("..", "../../etc", "/etc/passwd", "a/../../b", "x".repeat(5000), "tcp:[::1]:6502",
                "ä\u0000\n")) {
            Path folder = actions().folder(address);
            assertEquals(inventory, folder.getParent(), address);
            assertTrue(folder.getFileName().toString().length() <= 128, address);
            assertTrue(folder.getFileName().toString().matches("host-[A-Za-z0-9._%-]+"), folder.toString());
        }
        assertFalse(actions().folder("a:b").equals(actions().folder("a%3Ab")), "distinct addresses, distinct folders");
    }

    /** Attack: what the Host streams is bounded and checked line by line; the first fault stops the reading. */
    @Test
    void aHostileStreamIsRefusedAndNothingIsKept() throws Exception {
        String longLine = "section\thardware\tHardware\tA\tB\nrow\t" + "x".repeat(InventoryActions.MAX_LINE + 10);
        for (String bad : List.of("row\ta\tb\n", "section\thardware\tHardware\tA\tB\nrow\tonly-one\n",
                "bogus\tline\n", "section\thardware\tHardware\tA\tB\nrow\ta\\q\tb\n",
                "section\thardware\tHardware\tA\tB\nrow\ta\\x4\tb\n", "section\th\tH\tA\tB\nrow\ta\tcut-without-end",
                longLine)) {
            List<String> calls = new ArrayList<>();
            GuestCommand.Failure f = assertThrows(GuestCommand.Failure.class,
                    () -> run(streaming(calls, bad, "ok", true), "alpha", null, null), bad);
            assertTrue(f.getMessage().startsWith("the Host's inventory is not readable: "), f.getMessage());
            assertTrue(calls.contains("closed"), "the stream is closed");
        }
        assertEquals(List.of(), InventoryActions.names(home.resolve("data/inventory/host-tcp%3A127.0.0.1%3A6502")));
    }

    @Test
    void tooManyItemsStopTheReading() {
        InventoryActions.Collector c = new InventoryActions.Collector();
        c.data(ByteBuffer.wrap("section\ts\tS\tA\n".getBytes(StandardCharsets.UTF_8)));
        byte[] row = "row\tx\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i <= InventoryActions.MAX_ITEMS && c.violation == null; i++) {
            c.data(ByteBuffer.wrap(row));
        }
        assertEquals("more than " + InventoryActions.MAX_ITEMS + " items", c.violation);
    }

    @Test
    void aProblemLineIsKeptAndMakesTheExitStatusOne() throws Exception {
        List<String> calls = new ArrayList<>();
        String text = table("hardware", "Hardware", HW, rows("Memory", "Total", "1 GiB"))
                + "problem\tsoftware\tInstalled software\tThis Host has neither dpkg-query nor rpm\n";
        assertEquals(ExitStatus.FAILURE, run(streaming(calls, text, "1 item(s), 1 table(s) not read", true), "alpha", null, null));
        assertTrue(printed().contains("  not collected: Installed software: This Host has neither dpkg-query nor rpm"));
        assertEquals(List.of("inventory collect TEXT{}", "closed"), calls);
    }

    @Test
    void aStreamTheHostEndsAsFailedKeepsNothing() {
        GuestCommand.Failure f = assertThrows(GuestCommand.Failure.class,
                () -> run(streaming(new ArrayList<>(), "", "The inventory stopped", false), "alpha", null, null));
        assertEquals("the Host's inventory failed: The inventory stopped", f.getMessage());
    }

    @Test
    void compareNeedsTwoKeptRunsAndSaysSo() throws Exception {
        GuestCommand.Failure f = assertThrows(GuestCommand.Failure.class, () -> run(null, "a", null, null, "compare"));
        assertEquals(ExitStatus.NOT_FOUND, f.status);
        assertTrue(f.getMessage().contains("0 kept runs"), f.getMessage());
    }
}
