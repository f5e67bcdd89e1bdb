package org.tandemrc.comm.udp.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The wire format of the udp device (see docs/architecture.md, "UDP device"). Every datagram starts with
 * the magic {@code 'T' 'U'}, the version and a type byte; all numbers are big-endian.
 */
final class Packet {

    static final int MAGIC = 0x5455;
    static final int VERSION = 1;
    static final int HEADER = 4;

    static final int INIT = 1;
    static final int COOKIE = 2;
    static final int ECHO = 3;
    static final int ACCEPT = 4;
    static final int DATA = 5;
    static final int ACK = 6;
    static final int PING = 7;
    static final int RESET = 8;
    static final int BROWSE = 16;
    static final int QUERY = 17;
    static final int ANSWER = 18;

    /** DATA flags. */
    static final int FIRST = 1;
    static final int LAST = 2;
    static final int CLOSE = 4;

    /** INIT and ECHO are padded to this size, so that no answer to them is larger (no amplification). */
    static final int HANDSHAKE_SIZE = 1200;
    /** Discovery requests are padded to this size; answers are smaller. */
    static final int DISCOVERY_SIZE = 512;
    static final int COOKIE_SIZE = 32;
    /** Longest name or user carried in discovery, in UTF-8 bytes. */
    static final int NAME_BYTES = 200;
    /** Longest reason text of a RESET or CLOSE, in UTF-8 bytes. */
    static final int REASON_BYTES = 400;
    /** DATA header: magic, version, type, connection id, sequence, flags. */
    static final int DATA_HEADER = HEADER + 8 + 8 + 1;
    /** The message length a first fragment carries. */
    static final int LENGTH_FIELD = 4;
    /** Most SACK ranges one ACK carries. */
    static final int MAX_SACK = 32;
    /** The largest datagram read; a longer one is cut and then fails its checks. */
    static final int RECEIVE_BUFFER = 16 * 1024;

    private Packet() {
    }

    static ByteBuf header(ByteBufAllocator alloc, int type, int capacity) {
        ByteBuf b = alloc.buffer(capacity);
        b.writeShort(MAGIC).writeByte(VERSION).writeByte(type);
        return b;
    }

    /** The type of a datagram, or -1 when it is not one of ours. */
    static int typeOf(ByteBuf b) {
        if (b.readableBytes() < HEADER || b.getUnsignedShort(b.readerIndex()) != MAGIC
                || b.getUnsignedByte(b.readerIndex() + 2) != VERSION) {
            return -1;
        }
        return b.getUnsignedByte(b.readerIndex() + 3);
    }

    static void pad(ByteBuf b, int size) {
        if (b.writerIndex() < size) {
            b.writeZero(size - b.writerIndex());
        }
    }

    /** Writes at most {@code max} bytes of the text's UTF-8, cut on a character boundary. */
    static byte[] utf8(String text, int max) {
        byte[] all = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        if (all.length <= max) {
            return all;
        }
        int end = max;
        while (end > 0 && (all[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] cut = new byte[end];
        System.arraycopy(all, 0, cut, 0, end);
        return cut;
    }

    static void writeShortText(ByteBuf b, String text) {
        byte[] bytes = utf8(text, NAME_BYTES);
        b.writeByte(bytes.length).writeBytes(bytes);
    }

    /** Reads a length-prefixed text; null when the datagram is too short for it. */
    static String readShortText(ByteBuf b) {
        if (b.readableBytes() < 1) {
            return null;
        }
        int n = b.readUnsignedByte();
        if (n > NAME_BYTES || b.readableBytes() < n) {
            return null;
        }
        return b.readCharSequence(n, StandardCharsets.UTF_8).toString();
    }

    static String rest(ByteBuf b, int max) {
        int n = Math.min(b.readableBytes(), max);
        return b.readCharSequence(n, StandardCharsets.UTF_8).toString();
    }
}
