package org.tandemrc.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.StreamingTool;
import org.tandemrc.api.tool.ToolException;

/**
 * What every {@link StreamingTool} owes on top of {@link RemoteToolConformance}: streaming operations that
 * are declared with their kind, refused as requests, opened in bounded time, output that fits its kind
 * (UTF-8 text for {@link StreamKind#TEXT}, well-formed results for {@link StreamKind#TABLE}), flow control
 * respected (the suite's Guest holds every write until the tool waited), and nothing written once the Guest
 * closed the stream. Each streaming operation the suite can open without arguments (read-only, no required
 * parameter) is opened; {@link #arguments} gives others theirs.
 */
public abstract class StreamingToolConformance extends RemoteToolConformance {

    /** How long opening may take, and how long the suite watches a stream run. */
    static final long OPEN_MILLIS = 10_000;
    static final long WATCH_MILLIS = 1_500;

    /** A fresh instance of the tool, as its component would be. */
    @Override
    protected abstract StreamingTool tool();

    /**
     * The arguments the suite opens {@code operation} with, or null to leave it to the tool's own tests (it
     * changes the Host, or needs a peer such as a port to reach). By default: none for a read-only
     * operation without required parameters, null otherwise.
     */
    protected Map<String, String> arguments(Operation operation) {
        return operation.changesHost() || operation.parameters().stream().anyMatch(Field::required) ? null : Map.of();
    }

    /** Input the suite sends once the stream runs, e.g. a command for a shell; none by default. */
    protected byte[] input(Operation operation) {
        return new byte[0];
    }

    private List<Operation> streaming() {
        return tool().operations().stream().filter(Operation::streams).toList();
    }

    @Test
    void itDeclaresItsStreamsAndRefusesToRunThemAsRequests() {
        List<Operation> streaming = streaming();
        assertFalse(streaming.isEmpty(), "a streaming tool offers at least one streaming operation");
        for (Operation op : streaming) {
            ToolException e = assertThrows(ToolException.class, () -> tool().invoke(op.id(), Map.of()),
                    op.id() + " streams: invoke must refuse it");
            assertNotNull(e.getMessage(), op.id());
        }
    }

    @Test
    void openingAnOperationItDoesNotHaveIsAToolException() {
        ToolException e = assertThrows(ToolException.class,
                () -> tool().open("no-such-operation", Map.of(), new RecordingStream()));
        assertTrue(e.getMessage() != null && e.getMessage().contains("no-such-operation"),
                "the refusal names the operation: " + e.getMessage());
    }

    @Test
    void itsStreamsFitTheirKindRespectTheWindowAndStopWhenClosed() throws Exception {
        StreamingTool tool = tool();
        for (Operation op : streaming()) {
            Map<String, String> arguments = arguments(op);
            if (arguments == null) {
                continue;
            }
            RecordingStream stream = new RecordingStream();
            stream.hold();
            StreamInput input = CompletableFuture.supplyAsync(() -> {
                try {
                    return tool.open(op.id(), arguments, stream);
                } catch (ToolException e) {
                    throw new AssertionError(op.id() + " did not open: " + e.getMessage(), e);
                }
            }).get(OPEN_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(input, op.id() + " returned no input");
            byte[] in = input(op);
            if (in.length > 0) {
                input.data(ByteBuffer.wrap(in)).toCompletableFuture().get(OPEN_MILLIS, TimeUnit.MILLISECONDS);
            }
            // The Guest holds every write: a tool that waits for its stages writes at most a window.
            stream.await(RecordingStream::ended, WATCH_MILLIS);
            assertNull(stream.violation(), op.id() + ": " + stream.violation());
            stream.release();
            stream.await(RecordingStream::ended, WATCH_MILLIS);
            assertNull(stream.violation(), op.id() + ": " + stream.violation());
            if (op.stream() == StreamKind.TEXT) {
                assertUtf8(stream.output(), op.id());
            }
            if (op.stream() == StreamKind.TABLE) {
                assertEquals(0, stream.output().length, op.id() + " is a table stream: it shows results, it writes no bytes");
                for (Result r : stream.shown()) {
                    assertWellFormed(r, op.id());
                }
            }
            input.closed("the conformance suite closed it");
            stream.closeByGuest();
            Thread.sleep(WATCH_MILLIS);
            int after = stream.writesAfterEnd();
            Thread.sleep(WATCH_MILLIS);
            assertEquals(after, stream.writesAfterEnd(), op.id() + " still writes after the Guest closed the stream");
        }
    }

    /** Text streams carry UTF-8; a character cut at the very end may still be on its way. */
    private static void assertUtf8(byte[] out, String what) {
        int end = out.length;
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (out[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (end - back - 1 >= 0 && (out[end - back - 1] & 0xC0) == 0xC0) {
            end = end - back - 1;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out, 0, end));
        } catch (CharacterCodingException e) {
            throw new AssertionError(what + " wrote text that is not UTF-8", e);
        }
    }
}
