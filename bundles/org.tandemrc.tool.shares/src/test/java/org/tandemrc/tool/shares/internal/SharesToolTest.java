package org.tandemrc.tool.shares.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemrc.api.host.MaintenancePassword;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

class SharesToolTest {

    @TempDir
    Path tmp;

    Path home;
    Path cfg;
    Path docs;
    FakeConfigurationAdmin admin;
    /** The maintenance password, or null for none. */
    String maintenance;
    final List<String> rejected = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("node"));
        cfg = Files.createDirectories(home.resolve("etc")).resolve("org.tandemrc.files.cfg");
        Files.writeString(cfg, "# File transfer\n#shares = x=/y\nshares = old=" + tmp + "\nofferSeconds = 60\n");
        docs = Files.createDirectories(tmp.resolve("docs"));
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("shares", "old=" + tmp);
        p.put("offerSeconds", "60");
        p.put("felix.fileinstall.filename", cfg.toUri().toString());
        admin = new FakeConfigurationAdmin(p);
    }

    SharesTool tool() {
        MaintenancePassword m = new MaintenancePassword() {
            @Override
            public boolean isSet() {
                return maintenance != null;
            }

            @Override
            public boolean matches(char[] password, String who) {
                boolean ok = maintenance != null && maintenance.equals(new String(password));
                if (!ok) {
                    rejected.add(who);
                }
                return ok;
            }
        };
        return new SharesTool(new ShareSettings(admin.admin()), m, home);
    }

    private Result run(String op, String... nameValues) throws ToolException {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            a.put(nameValues[i], nameValues[i + 1]);
        }
        return tool().invoke(op, a);
    }

    @Test
    void sharesAreListedAddedChangedAndRemovedInConfigAdminAndInTheirFile() throws Exception {
        Result.Table t = (Result.Table) run("list");
        assertEquals(List.of(List.of("old", tmp.toString(), "true")), t.rows());

        Result r = run("add", "name", "Team docs", "path", docs.toString());
        assertEquals("Share 'Team docs' added: Guests with file transfer see " + docs.toRealPath() + " as /Team docs.",
                ((Result.Message) r).text());
        assertEquals("old=" + tmp + ", Team docs=" + docs.toRealPath(), admin.properties.get("shares"));
        assertEquals("60", admin.properties.get("offerSeconds"), "other settings stay");
        assertEquals("# File transfer\n#shares = x=/y\nshares = old=" + tmp + ", Team docs=" + docs.toRealPath()
                + "\nofferSeconds = 60\n", Files.readString(cfg), "the file keeps its other lines");

        Path other = Files.createDirectories(tmp.resolve("other"));
        r = run("change", "name", "old", "path", other.toString());
        assertEquals("Share 'old' now shares " + other.toRealPath() + " (was " + tmp + ").", ((Result.Message) r).text());
        r = run("remove", "name", "Team docs");
        assertEquals("Share 'Team docs' removed: Guests no longer see /Team docs.", ((Result.Message) r).text());
        assertEquals("old=" + other.toRealPath(), admin.properties.get("shares"));
        assertTrue(Files.readString(cfg).contains("\nshares = old=" + other.toRealPath() + "\n"), Files.readString(cfg));
        assertEquals(3, admin.updates);
    }

    @Test
    void aHostWithoutTheSettingGetsIt() throws Exception {
        admin = new FakeConfigurationAdmin(null);
        run("add", "name", "docs", "path", docs.toString());
        assertEquals("docs=" + docs.toRealPath(), admin.properties.get("shares"));
        assertEquals(List.of(List.of("docs", docs.toRealPath().toString(), "true")), ((Result.Table) run("list")).rows());
    }

    @Test
    void wrongRequestsSayWhy() {
        assertEquals("there is a share 'old' already (of " + tmp + "); change it instead",
                assertThrows(ToolException.class, () -> run("add", "name", "old", "path", docs.toString())).getMessage());
        assertEquals("there is no share 'nope'",
                assertThrows(ToolException.class, () -> run("change", "name", "nope", "path", docs.toString())).getMessage());
        assertEquals("there is no share 'nope'",
                assertThrows(ToolException.class, () -> run("remove", "name", "nope")).getMessage());
        assertEquals("there is no folder " + tmp.resolve("missing"),
                assertThrows(ToolException.class, () -> run("add", "name", "m", "path", tmp.resolve("missing").toString()))
                        .getMessage());
    }

    // ---- attacks: each was written first and seen failing against a tool that stored what it was given

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", ".", "a=b", "a,b=/etc", "-x", "", " ", "a\\b", "é", "${x}"})
    void aShareNameOtherThanAPlainNameIsRefused(String name) {
        assertThrows(ToolException.class, () -> run("add", "name", name, "path", docs.toString()));
        assertEquals(0, admin.updates);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/docs", "/", "/tmp/a,evil=/etc", "/tmp/${user.home}", "/tmp/x\ny", "/tmp/a\\b"})
    void aFolderThatIsNotAPlainAbsoluteFolderIsRefused(String path) {
        assertThrows(ToolException.class, () -> run("add", "name", "x", "path", path));
        assertEquals(0, admin.updates);
    }

    @Test
    void theNodesHomeIsNeverShared() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), home.resolve("etc"));
        for (Path p : List.of(home, home.resolve("etc"), tmp, link)) {
            if (p.equals(tmp)) {
                // tmp holds the home: sharing it would share the home
                ToolException e = assertThrows(ToolException.class, () -> run("add", "name", "x", "path", p.toString()));
                assertTrue(e.getMessage().endsWith(" holds this Tandem node's home (its keys, passwords and settings): it is"
                        + " not shared"), e.getMessage());
            } else {
                ToolException e = assertThrows(ToolException.class, () -> run("add", "name", "x", "path", p.toString()));
                assertTrue(e.getMessage().contains(" is inside this Tandem node's home"), e.getMessage());
            }
        }
        assertEquals(0, admin.updates);
    }

    @Test
    void withAMaintenancePasswordEveryChangeNeedsIt() throws Exception {
        maintenance = "the maintenance password";
        assertEquals("this Host has a maintenance password: give it as maintenancePassword",
                assertThrows(ToolException.class, () -> run("add", "name", "d", "path", docs.toString())).getMessage());
        assertEquals("wrong maintenance password", assertThrows(ToolException.class,
                () -> run("remove", "name", "old", "maintenancePassword", "guess")).getMessage());
        assertEquals(List.of("a Guest's Shared Folders tool"), rejected, "a wrong one is audited by the Host");
        assertEquals(0, admin.updates);
        run("list");
        run("add", "name", "d", "path", docs.toString(), "maintenancePassword", "the maintenance password");
        assertEquals(1, admin.updates);
    }
}
