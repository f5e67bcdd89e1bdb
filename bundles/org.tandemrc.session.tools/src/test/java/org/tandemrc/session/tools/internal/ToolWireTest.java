package org.tandemrc.session.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** The old encoder's text: a 4-byte length, then UTF-8. */
    private static byte[] text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }

    @Test
    void messagesKeepTheirBytes() throws IOException {
        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(legacy);
        out.writeByte(ToolWire.INVOKE);
        out.write(text("processes"));
        out.write(text("end"));
        out.writeInt(1);
        out.write(text("pid"));
        out.write(text("42"));
        assertEquals(ByteBuffer.wrap(legacy.toByteArray()),
                ToolWire.encode(new ToolWire.Invoke("processes", "end", Map.of("pid", "42"))));

        legacy.reset();
        Field field = new Field("c", "Colour ✓", FieldType.CHOICE, true, List.of("red", "blue"));
        out.writeByte(ToolWire.RESULT);
        out.writeByte(ToolWire.FORM);
        out.writeInt(1);
        out.write(text(field.name()));
        out.write(text(field.label()));
        out.writeByte(field.type().ordinal());
        out.writeByte(1);
        out.writeInt(2);
        out.write(text("red"));
        out.write(text("blue"));
        out.writeByte(1);
        out.write(text("red"));
        assertEquals(ByteBuffer.wrap(legacy.toByteArray()),
                ToolWire.encode(new ToolWire.Outcome(new Result.Form(List.of(field), Map.of("c", "red")))));
    }
}
