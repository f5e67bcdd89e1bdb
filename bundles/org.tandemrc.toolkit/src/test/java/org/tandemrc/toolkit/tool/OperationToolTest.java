package org.tandemrc.toolkit.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

class OperationToolTest {

    static final Operation GREET = new Operation("greet", "Greet",
            List.of(Field.of("name", "Name", FieldType.TEXT, true)), false);
    static final Operation FAIL = new Operation("fail", "Fail", List.of(), true);

    static final class Greeter extends OperationTool {
        Greeter() {
            super("greeter", "Greeter", "Examples");
            operation(GREET, arguments -> new Result.Message("Hello, " + arguments.get("name")));
            operation(FAIL, arguments -> {
                throw new ToolException("refused");
            });
        }
    }

    @Test
    void itListsItsOperationsInOrderAndRunsEachOnesMethod() throws Exception {
        Greeter g = new Greeter();
        assertEquals(List.of(GREET, FAIL), g.operations());
        assertEquals(new Result.Message("Hello, Ada"), g.invoke("greet", Map.of("name", "Ada")));
        assertEquals("refused", assertThrows(ToolException.class, () -> g.invoke("fail", Map.of())).getMessage());
    }

    @Test
    void anUnknownOperationIsRefusedByName() {
        ToolException e = assertThrows(ToolException.class, () -> new Greeter().invoke("reboot", Map.of()));
        assertEquals("Greeter has no operation 'reboot'", e.getMessage());
    }

    @Test
    void anOperationIdIsOfferedOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OperationTool("t", "T", "S") {
            {
                operation(GREET, a -> new Result.Message("one"));
                operation(GREET, a -> new Result.Message("two"));
            }
        });
        assertEquals("T already has an operation 'greet'", e.getMessage());
    }
}
