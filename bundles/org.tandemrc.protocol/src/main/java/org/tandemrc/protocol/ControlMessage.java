package org.tandemrc.protocol;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * A message on the connection's control channel: a type (e.g. {@code auth.start}) and named fields.
 * At most {@value #MAX_FIELDS} fields; names up to 64 bytes; the whole message is bounded by the frame.
 *
 * <p>Wire layout ({@link org.tandemrc.protocol.codec codec kit}): {@code text type, u16 count, count ×
 * (text name, blob value)}; texts have a 16-bit length, values a 32-bit one.
 */
public final class ControlMessage {

    static final int MAX_FIELDS = 64;

    private final String type;
    private final Map<String, byte[]> fields;

    private ControlMessage(String type, Map<String, byte[]> fields) {
        this.type = type;
        this.fields = fields;
    }

    /** A new message of a type; add fields with {@link #with}. */
    public static ControlMessage of(String type) {
        return new ControlMessage(type, new LinkedHashMap<>());
    }

    public ControlMessage with(String name, byte[] value) {
        fields.put(name, value.clone());
        return this;
    }

    public ControlMessage with(String name, String value) {
        return with(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public ControlMessage with(String name, int value) {
        return with(name, Integer.toString(value));
    }

    public ControlMessage with(String name, BigInteger value) {
        return with(name, value.toByteArray());
    }

    public String type() {
        return type;
    }

    public Map<String, byte[]> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** A field's bytes; a missing field is a protocol error. */
    public byte[] bytes(String name) throws ProtocolException {
        byte[] v = fields.get(name);
        if (v == null) {
            throw new ProtocolException(type + " lacks the field " + name);
        }
        return v.clone();
    }

    /** A field's text, or {@code fallback} when absent. */
    public String text(String name, String fallback) {
        byte[] v = fields.get(name);
        return v == null ? fallback : new String(v, StandardCharsets.UTF_8);
    }

    public String text(String name) throws ProtocolException {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** A field holding a whole number within bounds. */
    public int integer(String name, int min, int max) throws ProtocolException {
        String t = text(name);
        try {
            int v = Integer.parseInt(t);
            if (v < min || v > max) {
                throw new ProtocolException(type + "." + name + "=" + v + " is outside " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ProtocolException(type + "." + name + " is not a number");
        }
    }

    /** A field holding a non-negative big integer of at most {@code maxBytes}. */
    public BigInteger bigInteger(String name, int maxBytes) throws ProtocolException {
        byte[] b = bytes(name);
        if (b.length > maxBytes + 1) {
            throw new ProtocolException(type + "." + name + " is longer than " + maxBytes + " bytes");
        }
        return new BigInteger(1, b);
    }

    byte[] encode() {
        WireWriter w = new WireWriter().text(type).u16(fields.size());
        for (Map.Entry<String, byte[]> e : fields.entrySet()) {
            w.text(e.getKey()).blob(e.getValue());
        }
        return w.toByteArray();
    }

    static ControlMessage decode(ByteBuffer payload) throws ProtocolException {
        WireReader r = new WireReader(payload);
        String type = r.text("control type", 64);
        int count = r.shortCount("field count", 6, MAX_FIELDS);
        Map<String, byte[]> fields = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = r.text("field name", 64);
            fields.put(name, r.blob("field " + name, r.remaining()));
        }
        r.end("control message " + type);
        return new ControlMessage(type, fields);
    }

    @Override
    public String toString() {
        return type + fields.keySet();
    }
}
