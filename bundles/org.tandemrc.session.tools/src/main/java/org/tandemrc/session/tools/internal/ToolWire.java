package org.tandemrc.session.tools.internal;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolInfo;

/**
 * The remote-management messages. The Guest asks ({@link #LIST} or {@link #INVOKE}), the Host answers
 * ({@link #TOOLS}, {@link #RESULT} or {@link #ERROR}), one request at a time. A message is a type byte
 * followed by fields: texts are a 4-byte length and strict UTF-8 of at most {@link #MAX_TEXT} bytes,
 * counts are 4-byte and bounded by what is left of the message. A request is at most
 * {@link #MAX_REQUEST} bytes, an answer at most {@link #MAX_ANSWER}. Everything read from the peer is
 * bounds-checked before use; a malformed message is an {@link IllegalArgumentException}.
 */
final class ToolWire {

    private ToolWire() {
    }

    // Guest to Host.
    /** No fields: the Host answers {@link #TOOLS}. */
    static final int LIST = 1;
    /** Tool id, operation id, count, then name and value of each argument. */
    static final int INVOKE = 2;

    // Host to Guest.
    /** Count, then each tool: id, title, section, count of operations, each operation. */
    static final int TOOLS = 20;
    /** Result kind ({@link #TABLE}, {@link #FORM}, {@link #MESSAGE}), then the result. */
    static final int RESULT = 21;
    /** One sentence: why the request failed. */
    static final int ERROR = 22;

    static final int TABLE = 0;
    static final int FORM = 1;
    static final int MESSAGE = 2;

    /** The longest text (an id, a label, a value) in bytes of UTF-8. */
    static final int MAX_TEXT = 64 * 1024;
    /** The largest request a Guest sends. */
    static final int MAX_REQUEST = 256 * 1024;
    /** The largest answer a Host sends (a channel carries at most 1 MiB). */
    static final int MAX_ANSWER = 1024 * 1024;

    /** A request as the Host reads it. */
    record Request(int type, String tool, String operation, Map<String, String> arguments) {
    }

    static ByteBuffer list() {
        return new Out(LIST).build();
    }

    static ByteBuffer invoke(String tool, String operation, Map<String, String> arguments) {
        Out out = new Out(INVOKE).text(tool).text(operation).i32(arguments.size());
        arguments.forEach((name, value) -> out.text(name).text(value));
        return out.build();
    }

    /** Reads a Guest's request; the whole message must be used. */
    static Request readRequest(ByteBuffer message) {
        if (message.remaining() > MAX_REQUEST) {
            throw new IllegalArgumentException("a request of " + message.remaining() + " bytes (at most "
                    + MAX_REQUEST + ")");
        }
        In in = new In(message);
        int type = in.u8();
        Request r;
        switch (type) {
            case LIST -> r = new Request(LIST, null, null, Map.of());
            case INVOKE -> {
                String tool = in.text();
                String operation = in.text();
                int n = in.count(8);
                Map<String, String> arguments = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    String name = in.text();
                    String value = in.text();
                    if (arguments.put(name, value) != null) {
                        throw new IllegalArgumentException("the argument '" + name + "' is given twice");
                    }
                }
                r = new Request(INVOKE, tool, operation, arguments);
            }
            default -> throw new IllegalArgumentException("unknown request " + type);
        }
        in.end();
        return r;
    }

    static ByteBuffer tools(List<ToolInfo> tools) {
        Out out = new Out(TOOLS).i32(tools.size());
        for (ToolInfo t : tools) {
            out.text(t.id()).text(t.title()).text(t.section()).i32(t.operations().size());
            for (Operation o : t.operations()) {
                out.text(o.id()).text(o.title()).bool(o.changesHost()).fields(o.parameters());
            }
        }
        return out.build();
    }

    static ByteBuffer result(Result result) {
        Out out = new Out(RESULT);
        if (result instanceof Result.Table t) {
            out.u8(TABLE).fields(t.columns()).i32(t.rows().size());
            for (List<String> row : t.rows()) {
                for (String v : row) {
                    out.text(v);
                }
            }
        } else if (result instanceof Result.Form f) {
            out.u8(FORM).fields(f.fields());
            for (Field field : f.fields()) {
                String v = f.values().get(field.name());
                out.bool(v != null).text(v);
            }
        } else if (result instanceof Result.Message m) {
            out.u8(MESSAGE).text(m.text());
        }
        return out.build();
    }

    static ByteBuffer error(String sentence) {
        return new Out(ERROR).text(sentence).build();
    }

    /**
     * Reads a Host's answer: a {@code List<ToolInfo>} for {@link #TOOLS}, a {@link Result} for
     * {@link #RESULT}, a {@link String} for {@link #ERROR}.
     */
    static Object readAnswer(ByteBuffer message) {
        if (message.remaining() > MAX_ANSWER) {
            throw new IllegalArgumentException("an answer of " + message.remaining() + " bytes (at most "
                    + MAX_ANSWER + ")");
        }
        In in = new In(message);
        int type = in.u8();
        Object answer;
        switch (type) {
            case TOOLS -> {
                int n = in.count(16);
                List<ToolInfo> tools = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String id = in.text();
                    String title = in.text();
                    String section = in.text();
                    int ops = in.count(13);
                    List<Operation> operations = new ArrayList<>(ops);
                    for (int k = 0; k < ops; k++) {
                        String opId = in.text();
                        String opTitle = in.text();
                        boolean changes = in.bool();
                        operations.add(new Operation(opId, opTitle, in.fields(), changes));
                    }
                    tools.add(new ToolInfo(id, title, section, operations));
                }
                answer = List.copyOf(tools);
            }
            case RESULT -> {
                int kind = in.u8();
                switch (kind) {
                    case TABLE -> {
                        List<Field> columns = in.fields();
                        int rows = in.count(Math.max(1, columns.size() * 4));
                        List<List<String>> out = new ArrayList<>(rows);
                        for (int r = 0; r < rows; r++) {
                            List<String> row = new ArrayList<>(columns.size());
                            for (int c = 0; c < columns.size(); c++) {
                                row.add(in.text());
                            }
                            out.add(row);
                        }
                        answer = new Result.Table(columns, out);
                    }
                    case FORM -> {
                        List<Field> fields = in.fields();
                        Map<String, String> values = new LinkedHashMap<>();
                        for (Field f : fields) {
                            boolean present = in.bool();
                            String v = in.text();
                            if (present) {
                                values.put(f.name(), v);
                            }
                        }
                        answer = new Result.Form(fields, values);
                    }
                    case MESSAGE -> answer = new Result.Message(in.text());
                    default -> throw new IllegalArgumentException("unknown result kind " + kind);
                }
            }
            case ERROR -> answer = in.text();
            default -> throw new IllegalArgumentException("unknown answer " + type);
        }
        in.end();
        return answer;
    }

    /** Builds one message. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

        Out(int type) {
            u8(type);
        }

        Out u8(int v) {
            bytes.write(v);
            return this;
        }

        Out bool(boolean v) {
            return u8(v ? 1 : 0);
        }

        Out i32(int v) {
            bytes.write(v >>> 24);
            bytes.write(v >>> 16);
            bytes.write(v >>> 8);
            bytes.write(v);
            return this;
        }

        /** A text; null is written as the empty text. */
        Out text(String s) {
            byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
            if (b.length > MAX_TEXT) {
                throw new IllegalArgumentException("a text of " + b.length + " bytes (at most " + MAX_TEXT + ")");
            }
            i32(b.length);
            bytes.write(b, 0, b.length);
            return this;
        }

        Out field(Field f) {
            text(f.name()).text(f.label()).u8(f.type().ordinal()).bool(f.required()).i32(f.choices().size());
            for (String c : f.choices()) {
                text(c);
            }
            return this;
        }

        Out fields(List<Field> fields) {
            i32(fields.size());
            fields.forEach(this::field);
            return this;
        }

        int size() {
            return bytes.size();
        }

        ByteBuffer build() {
            return ByteBuffer.wrap(bytes.toByteArray());
        }
    }

    /** Reads one message; every malformed read is an {@link IllegalArgumentException}. */
    static final class In {
        private final ByteBuffer b;

        In(ByteBuffer b) {
            this.b = b.duplicate();
        }

        int u8() {
            try {
                return b.get() & 0xff;
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("a message is cut short");
            }
        }

        boolean bool() {
            int v = u8();
            if (v > 1) {
                throw new IllegalArgumentException("a flag of " + v);
            }
            return v == 1;
        }

        int i32() {
            try {
                return b.getInt();
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("a message is cut short");
            }
        }

        /** A count of items each at least {@code minBytes} long: no more than the rest of the message holds. */
        int count(int minBytes) {
            int n = i32();
            if (n < 0 || (long) n * minBytes > b.remaining()) {
                throw new IllegalArgumentException("a count of " + n + " does not fit");
            }
            return n;
        }

        String text() {
            int n = i32();
            if (n < 0 || n > MAX_TEXT || n > b.remaining()) {
                throw new IllegalArgumentException("a text of " + n + " bytes does not fit");
            }
            ByteBuffer raw = b.slice();
            raw.limit(n);
            b.position(b.position() + n);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(raw).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("a text is not valid UTF-8");
            }
        }

        Field field() {
            String name = text();
            String label = text();
            int type = u8();
            if (type >= FieldType.values().length) {
                throw new IllegalArgumentException("unknown field type " + type);
            }
            boolean required = bool();
            int n = count(4);
            List<String> choices = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                choices.add(text());
            }
            try {
                return new Field(name, label, FieldType.values()[type], required, choices);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a field: " + e.getMessage());
            }
        }

        List<Field> fields() {
            int n = count(14);
            List<Field> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(field());
            }
            return out;
        }

        /** The message must end here. */
        void end() {
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes after the end of a message");
            }
        }
    }
}
