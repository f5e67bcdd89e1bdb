package org.tandemrc.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/**
 * What every {@link RemoteTool} owes the tools session and the front ends that render it without knowing
 * it, as one JUnit 5 suite a tool's bundle runs by extending this class: a stable id it is registered
 * under, names a person can read, distinct operations and fields, a {@link ToolException} (not a crash)
 * for an operation it does not have, and well-formed results from its read-only operations.
 */
public abstract class RemoteToolConformance {

    /** Ids go on the wire and into service filters. */
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** A fresh instance of the tool, as its component would be. */
    protected abstract RemoteTool tool();

    @Test
    void itDescribesItselfForAFrontEndThatHasNeverSeenIt() {
        RemoteTool tool = tool();
        assertTrue(ID.matcher(tool.id()).matches(), "id '" + tool.id() + "' is not " + ID);
        assertFalse(tool.title().isBlank(), "title");
        assertFalse(tool.section().isBlank(), "section");
        assertNotNull(tool.requiredPrivilege(), "requiredPrivilege");
        List<Operation> operations = tool.operations();
        assertFalse(operations.isEmpty(), "a tool offers at least one operation");
        assertEquals(operations, tool.operations(), "operations() gives the same list every time");
        Set<String> ids = new HashSet<>();
        for (Operation op : operations) {
            assertTrue(ID.matcher(op.id()).matches(), "operation id '" + op.id() + "' is not " + ID);
            assertTrue(ids.add(op.id()), "operation '" + op.id() + "' is listed twice");
            assertFalse(op.title().isBlank(), "title of operation " + op.id());
            assertDistinct(op.parameters(), "parameters of " + op.id());
        }
    }

    @Test
    void itIsRegisteredUnderItsId() throws Exception {
        RemoteTool tool = tool();
        ComponentDescription.of(tool.getClass()).assertRegisters(RemoteTool.class, RemoteTool.ID_PROPERTY, tool.id());
    }

    @Test
    void anOperationItDoesNotHaveIsAToolException() {
        RemoteTool tool = tool();
        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("no-such-operation", Map.of()));
        assertTrue(e.getMessage() != null && e.getMessage().contains("no-such-operation"),
                "the refusal names the operation: " + e.getMessage());
    }

    @Test
    void itsReadOnlyOperationsWithoutRequiredParametersGiveWellFormedResults() throws Exception {
        RemoteTool tool = tool();
        // Operations that need arguments or change the Host are for the tool's own tests; streams are opened
        // (StreamingToolConformance).
        for (Operation op : tool.operations()) {
            if (op.streams() || op.changesHost() || op.parameters().stream().anyMatch(Field::required)) {
                continue;
            }
            Result r = tool.invoke(op.id(), Map.of());
            assertNotNull(r, op.id());
            assertWellFormed(r, op.id());
        }
    }

    /** Rows as wide as the columns, forms whose values belong to their fields. */
    public static void assertWellFormed(Result r, String what) {
        if (r instanceof Result.Table t) {
            assertDistinct(t.columns(), "columns of " + what);
            for (List<String> row : t.rows()) {
                assertEquals(t.columns().size(), row.size(), "a row of " + what + " is not as wide as its columns");
                row.forEach(cell -> assertNotNull(cell, "a cell of " + what));
            }
        } else if (r instanceof Result.Form f) {
            assertDistinct(f.fields(), "fields of " + what);
            Set<String> names = new HashSet<>();
            f.fields().forEach(x -> names.add(x.name()));
            assertTrue(names.containsAll(f.values().keySet()), what + " has values without fields: " + f.values().keySet());
        } else if (r instanceof Result.Message m) {
            assertFalse(m.text().isBlank(), "message of " + what);
        }
    }

    private static void assertDistinct(List<Field> fields, String what) {
        Set<String> names = new HashSet<>();
        for (Field f : fields) {
            assertFalse(f.name().isBlank(), "a field name in " + what);
            assertTrue(names.add(f.name()), "'" + f.name() + "' twice in " + what);
        }
    }
}
