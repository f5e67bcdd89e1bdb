package org.example.diskspace;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;

/** Tandem's tool conformance suite, and what this tool itself promises. */
class DiskSpaceToolTest extends RemoteToolConformance {

    @Override
    protected RemoteTool tool() {
        return new DiskSpaceTool();
    }

    @Test
    void theRootFileSystemIsListedWithItsSize() throws Exception {
        Result.Table t = (Result.Table) tool().invoke("list", Map.of());
        assertFalse(t.rows().isEmpty(), "no file systems");
        assertTrue(t.rows().stream().anyMatch(r -> r.get(0).startsWith("/ (") && Long.parseLong(r.get(2)) > 0),
                t.rows().toString());
    }
}
