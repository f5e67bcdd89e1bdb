package org.tandemrc.session.tools.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Result;

/** The records' bytes are those the hand-written encoder sent before them, so old and new peers agree. */
class ToolWireTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    @Test
    void messagesKeepTheirBytes() throws IOException {
        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(legacy);
        out.writeByte(ToolWire.INVOKE);
        text(out, "processes");
        text(out, "end");
        out.writeInt(1);
        text(out, "pid");
        text(out, "42");
        assertArrayEquals(legacy.toByteArray(),
                bytes(ToolWire.encode(new ToolWire.Invoke("processes", "end", Map.of("pid", "42")))));

        legacy.reset();
        Field field = new Field("c", "Colour ✓", FieldType.CHOICE, true, List.of("red", "blue"));
        out.writeByte(ToolWire.RESULT);
        out.writeByte(ToolWire.FORM);
        out.writeInt(1);
        text(out, field.name());
        text(out, field.label());
        out.writeByte(field.type().ordinal());
        out.writeByte(1);
        out.writeInt(2);
        text(out, "red");
        text(out, "blue");
        out.writeByte(1);
        text(out, "red");
        assertArrayEquals(legacy.toByteArray(),
                bytes(ToolWire.encode(new ToolWire.Outcome(new Result.Form(List.of(field), Map.of("c", "red"))))));
    }
}
