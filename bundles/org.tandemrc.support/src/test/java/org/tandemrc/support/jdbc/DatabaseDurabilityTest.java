package org.tandemrc.support.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@link Database} has committed survives the process being killed right after: a Security
 * Server acknowledges a node's events once they are committed, and the node forgets them then.
 */
class DatabaseDurabilityTest {

    @TempDir
    Path dir;

    /** The child: commits one row and dies at once, as a process killed with SIGKILL does. */
    public static final class CommitAndDie {
        public static void main(String[] args) throws Exception {
            Database db = new Database(args[0], "", "", "create table if not exists t (i int)");
            db.update("insert into t values (?)", 42);
            Runtime.getRuntime().halt(9);
        }
    }

    @Test
    void aCommitSurvivesTheProcessBeingKilledAtOnce() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CommitAndDie.class.getName(), url))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child hangs");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(9, p.exitValue(), out);
        try (Database db = new Database(url, "", "", "create table if not exists t (i int)")) {
            int rows = db.run(c -> {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select count(*) from t")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            assertEquals(1, rows, "committed rows after the kill");
        }
    }
}
