package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
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
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.ToolInfo;
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

    private static final List<Field> HW = List.of(Field.of("category", "Category", FieldType.TEXT, false),
            Field.of("name", "Name", FieldType.TEXT, false), Field.of("value", "Value", FieldType.TEXT, false));
    private static final List<Field> SW = List.of(Field.of("package", "Package", FieldType.TEXT, false),
            Field.of("architecture", "Architecture", FieldType.TEXT, false),
            Field.of("version", "Version", FieldType.TEXT, false));
    private static final List<Operation> OPS = List.of(new Operation("hardware", "Hardware", List.of(), false),
            new Operation("software", "Installed software",
                    List.of(Field.of("start", "From", FieldType.INTEGER, false)), false));

    /** A Host whose inventory tool answers these hardware rows and these packages, two to a page. */
    private RemoteTools host(String hostName, List<List<String>> hardware, List<List<String>> packages, List<String> calls) {
        ToolSession session = new ToolSession() {
            @Override
            public List<ToolInfo> tools() {
                return List.of(new ToolInfo("inventory", "Inventory", "System", OPS));
            }

            @Override
            public Result invoke(String toolId, String operationId, Map<String, String> arguments) throws ToolException {
                calls.add(operationId + arguments);
                if (operationId.equals("hardware")) {
                    return new Result.Table(HW, hardware);
                }
                int start = Integer.parseInt(arguments.get("start"));
                return new Result.Table(SW, packages.subList(Math.min(start, packages.size()),
                        Math.min(start + 2, packages.size())));
            }

            @Override
            public void close() {
            }
        };
        return new RemoteTools() {
            @Override
            public ToolSession open(HostConnection connection) {
                return session;
            }

            @Override
            public org.tandemrc.api.tool.client.OpenStream stream(HostConnection c, String t, String o,
                    org.tandemrc.api.tool.StreamKind k, Map<String, String> a, org.tandemrc.api.tool.client.StreamListener l) {
                throw new UnsupportedOperationException();
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
        return actions().run(args, export, out, () -> tools, () -> connection(hostName));
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
        assertEquals(List.of("hardware{}", "software{start=0}", "software{start=2}", "software{start=3}"), calls);
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

    /** Attack: a Host that always has another page is stopped after a bounded number of requests. */
    @Test
    void aHostThatNeverEndsItsPagesIsCutOff() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        ToolSession endless = new ToolSession() {
            @Override
            public List<ToolInfo> tools() {
                return List.of(new ToolInfo("inventory", "Inventory", "System", OPS));
            }

            @Override
            public Result invoke(String toolId, String operationId, Map<String, String> arguments) {
                asked.incrementAndGet();
                return new Result.Table(SW, List.of(List.of("p" + asked.get(), "all", "1")));
            }

            @Override
            public void close() {
            }
        };
        RemoteTools tools = new RemoteTools() {
            @Override
            public ToolSession open(HostConnection connection) {
                return endless;
            }

            @Override
            public org.tandemrc.api.tool.client.OpenStream stream(HostConnection c, String t, String o,
                    org.tandemrc.api.tool.StreamKind k, Map<String, String> a, org.tandemrc.api.tool.client.StreamListener l) {
                throw new UnsupportedOperationException();
            }
        };
        assertEquals(ExitStatus.FAILURE, run(tools, "alpha", null, null));
        assertTrue(asked.get() <= InventoryActions.MAX_PAGES + 1, "asked " + asked.get());
        assertTrue(printed().contains("not collected: Installed software: more than 100 pages"));
    }

    @Test
    void compareNeedsTwoKeptRunsAndSaysSo() throws Exception {
        GuestCommand.Failure f = assertThrows(GuestCommand.Failure.class, () -> run(null, "a", null, null, "compare"));
        assertEquals(ExitStatus.NOT_FOUND, f.status);
        assertTrue(f.getMessage().contains("0 kept runs"), f.getMessage());
    }
}
