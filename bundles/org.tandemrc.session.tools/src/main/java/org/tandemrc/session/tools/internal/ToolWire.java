package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.client.ToolInfo;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The remote-management messages. The Guest asks ({@link ListTools} or {@link Invoke}), the Host answers
 * ({@link Tools}, {@link Outcome} or {@link Failure}), one request at a time. A request is at most
 * {@link #MAX_REQUEST} bytes, an answer at most {@link #MAX_ANSWER}. Layout, in the
 * {@link org.tandemrc.protocol.codec codec kit}'s conventions (big-endian; text: u32 length and strict
 * UTF-8 of at most {@link #MAX_TEXT} bytes; counts u32, bounded by what is left of the message):
 *
 * <pre>
 * LIST    1
 * INVOKE  2   text tool, text operation, u32 n, n × (text name, text value)
 * TOOLS   20  u32 n, n × (text id, text title, text section, u32 m, m × operation)
 *             operation: text id, text title, u8 changesHost, u8 stream (0 none, 1 + StreamKind ordinal), fields
 * RESULT  21  result
 * result:     u8 0 (table): fields columns, u32 rows, rows × columns × text
 *             u8 1 (form):  fields, then per field u8 present, text value
 *             u8 2 (message): text
 * ERROR   22  text sentence
 * fields:     u32 n, n × (text name, text label, u8 FieldType ordinal, u8 required, u32 c, c × text choice)
 * </pre>
 */
final class ToolWire {

    private ToolWire() {
    }

    static final int LIST = 1;
    static final int INVOKE = 2;
    static final int TOOLS = 20;
    static final int RESULT = 21;
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

    /** What a Guest asks. */
    sealed interface Request permits ListTools, Invoke {
    }

    /** Which tools may I use? */
    record ListTools() implements Request {
    }

    /** Run an operation of a tool with these arguments. */
    record Invoke(String tool, String operation, Map<String, String> arguments) implements Request {
    }

    /** What a Host answers. */
    sealed interface Answer permits Tools, Outcome, Failure {
    }

    /** The tools the Guest may use. */
    record Tools(List<ToolInfo> tools) implements Answer {
    }

    /** An operation's result. */
    record Outcome(Result result) implements Answer {
    }

    /** Why the request failed, in one sentence. */
    record Failure(String sentence) implements Answer {
    }

    /** A request's bytes; a text longer than {@link #MAX_TEXT} is an {@link IllegalArgumentException}. */
    static ByteBuffer encode(Request request) {
        WireWriter w = new WireWriter();
        if (request instanceof ListTools) {
            w.u8(LIST);
        } else if (request instanceof Invoke i) {
            w.u8(INVOKE).longText(i.tool(), MAX_TEXT).longText(i.operation(), MAX_TEXT).u32(i.arguments().size());
            i.arguments().forEach((name, value) -> w.longText(name, MAX_TEXT).longText(value, MAX_TEXT));
        }
        return w.toBuffer();
    }

    /** An answer's bytes; a text longer than {@link #MAX_TEXT} is an {@link IllegalArgumentException}. */
    static ByteBuffer encode(Answer answer) {
        WireWriter w = new WireWriter();
        if (answer instanceof Tools t) {
            w.u8(TOOLS).u32(t.tools().size());
            for (ToolInfo tool : t.tools()) {
                w.longText(tool.id(), MAX_TEXT).longText(tool.title(), MAX_TEXT).longText(tool.section(), MAX_TEXT)
                        .u32(tool.operations().size());
                for (Operation o : tool.operations()) {
                    w.longText(o.id(), MAX_TEXT).longText(o.title(), MAX_TEXT).bool(o.changesHost())
                            .u8(o.stream() == null ? 0 : 1 + o.stream().ordinal());
                    fields(w, o.parameters());
                }
            }
        } else if (answer instanceof Outcome o) {
            result(w.u8(RESULT), o.result());
        } else if (answer instanceof Failure f) {
            w.u8(ERROR).longText(f.sentence(), MAX_TEXT);
        }
        return w.toBuffer();
    }

    /** Writes a result (also a live table's frame on a stream). */
    static void result(WireWriter w, Result result) {
        if (result instanceof Result.Table t) {
            fields(w.u8(TABLE), t.columns());
            w.u32(t.rows().size());
            for (List<String> row : t.rows()) {
                for (String v : row) {
                    w.longText(v, MAX_TEXT);
                }
            }
        } else if (result instanceof Result.Form f) {
            fields(w.u8(FORM), f.fields());
            for (Field field : f.fields()) {
                String v = f.values().get(field.name());
                w.bool(v != null).longText(v, MAX_TEXT);
            }
        } else if (result instanceof Result.Message m) {
            w.u8(MESSAGE).longText(m.text(), MAX_TEXT);
        }
    }

    private static void fields(WireWriter w, List<Field> fields) {
        w.u32(fields.size());
        for (Field f : fields) {
            w.longText(f.name(), MAX_TEXT).longText(f.label(), MAX_TEXT).u8(f.type().ordinal()).bool(f.required())
                    .u32(f.choices().size());
            for (String c : f.choices()) {
                w.longText(c, MAX_TEXT);
            }
        }
    }

    /** How one side's messages are read. */
    private interface Body<T> {
        T read(WireReader r) throws ProtocolException;
    }

    /** Reads one whole message of at most {@code max} bytes. */
    private static <T> T read(ByteBuffer message, int max, String what, Body<T> body) throws ProtocolException {
        WireReader r = WireReader.of(message, max, what);
        T read;
        try {
            read = body.read(r);
        } catch (IllegalArgumentException e) {
            // The API's records refuse what they cannot hold (a row of the wrong width, a blank id).
            throw new ProtocolException("a malformed " + what + ": " + e.getMessage());
        }
        r.end(what);
        return read;
    }

    /** Reads a Guest's request; the whole message must be used. */
    static Request readRequest(ByteBuffer message) throws ProtocolException {
        return read(message, MAX_REQUEST, "remote-management request", ToolWire::request);
    }

    private static Request request(WireReader r) throws ProtocolException {
        int type = r.u8("request type");
        if (type == LIST) {
            return new ListTools();
        }
        if (type != INVOKE) {
            throw new ProtocolException("unknown request " + type);
        }
        String tool = text(r, "tool id");
        String operation = text(r, "operation id");
        int n = r.count("argument count", 8, Integer.MAX_VALUE);
        Map<String, String> arguments = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = text(r, "argument name");
            if (arguments.put(name, text(r, "argument value")) != null) {
                throw new ProtocolException("the argument '" + name + "' is given twice");
            }
        }
        return new Invoke(tool, operation, arguments);
    }

    /** Reads a Host's answer; the whole message must be used. */
    static Answer readAnswer(ByteBuffer message) throws ProtocolException {
        return read(message, MAX_ANSWER, "remote-management answer", ToolWire::answer);
    }

    private static Answer answer(WireReader r) throws ProtocolException {
        int type = r.u8("answer type");
        Answer answer;
        switch (type) {
            case TOOLS -> {
                int n = r.count("tool count", 16, Integer.MAX_VALUE);
                List<ToolInfo> tools = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String id = text(r, "tool id");
                    String title = text(r, "tool title");
                    String section = text(r, "tool section");
                    int ops = r.count("operation count", 13, Integer.MAX_VALUE);
                    List<Operation> operations = new ArrayList<>(ops);
                    for (int k = 0; k < ops; k++) {
                        String opId = text(r, "operation id");
                        String opTitle = text(r, "operation title");
                        boolean changes = r.bool("changes-host flag");
                        int stream = r.u8("stream kind");
                        if (stream > StreamKind.values().length) {
                            throw new ProtocolException("unknown stream kind " + stream);
                        }
                        operations.add(new Operation(opId, opTitle, fields(r), changes,
                                stream == 0 ? null : StreamKind.values()[stream - 1]));
                    }
                    tools.add(new ToolInfo(id, title, section, operations));
                }
                answer = new Tools(List.copyOf(tools));
            }
            case RESULT -> answer = new Outcome(result(r));
            case ERROR -> answer = new Failure(text(r, "error"));
            default -> throw new ProtocolException("unknown answer " + type);
        }
        return answer;
    }

    /** Reads a result written by {@link #result(WireWriter, Result)}. */
    static Result result(WireReader r) throws ProtocolException {
        int kind = r.u8("result kind");
        switch (kind) {
            case TABLE -> {
                List<Field> columns = fields(r);
                int rows = r.count("row count", columns.size() * 4, Integer.MAX_VALUE);
                List<List<String>> out = new ArrayList<>(rows);
                for (int i = 0; i < rows; i++) {
                    List<String> row = new ArrayList<>(columns.size());
                    for (int c = 0; c < columns.size(); c++) {
                        row.add(text(r, "cell"));
                    }
                    out.add(row);
                }
                return new Result.Table(columns, out);
            }
            case FORM -> {
                List<Field> fields = fields(r);
                Map<String, String> values = new LinkedHashMap<>();
                for (Field f : fields) {
                    boolean present = r.bool("value flag");
                    String v = text(r, "value");
                    if (present) {
                        values.put(f.name(), v);
                    }
                }
                return new Result.Form(fields, values);
            }
            case MESSAGE -> {
                return new Result.Message(text(r, "message"));
            }
            default -> throw new ProtocolException("unknown result kind " + kind);
        }
    }

    private static String text(WireReader r, String what) throws ProtocolException {
        return r.longText(what, MAX_TEXT);
    }

    private static List<Field> fields(WireReader r) throws ProtocolException {
        int n = r.count("field count", 14, Integer.MAX_VALUE);
        List<Field> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = text(r, "field name");
            String label = text(r, "field label");
            FieldType type = r.ordinal(FieldType.values(), "field type");
            boolean required = r.bool("required flag");
            int c = r.count("choice count", 4, Integer.MAX_VALUE);
            List<String> choices = new ArrayList<>(c);
            for (int k = 0; k < c; k++) {
                choices.add(text(r, "choice"));
            }
            out.add(new Field(name, label, type, required, choices));
        }
        return out;
    }
}
