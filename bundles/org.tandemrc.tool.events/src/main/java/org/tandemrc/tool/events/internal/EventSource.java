package org.tandemrc.tool.events.internal;

import java.util.List;

import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;

/** Where the Host's events are: the journal or the syslog files. */
interface EventSource {

    /** "the journal" or "the syslog files", for sentences. */
    String kind();

    /** The last {@link Filter#lines()} events that pass, oldest first. */
    List<LogLine> recent(Filter filter) throws ToolException;

    /**
     * Writes each new event that passes to {@code out} as a line of text, from a thread of its own, until the
     * returned input is closed or the source ends (then it ends the stream saying why).
     */
    StreamInput follow(Filter filter, ToolStream out) throws ToolException;
}
