package org.tandemrc.protocol;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The multiplexer of a {@link Connection}: which channel ids are open, asked for by either side, or
 * ended, and which side may use an id (the Guest odd, the Host even, 0 for the connection). It sends
 * nothing; every method runs under the connection's lock.
 */
final class ChannelTable {

    /** This side's open request, waiting for the peer's answer. */
    record LocalOpen(CompletableFuture<SessionChannel> answer, String sessionType, Priority priority) {
    }

    private final boolean host;
    private final Map<Integer, SessionChannel> channels = new HashMap<>();
    private final Set<Integer> pendingRemote = new HashSet<>();
    private final Map<Integer, LocalOpen> pendingLocal = new HashMap<>();
    private int nextChannel;
    /**
     * Channels this side ended (closed or refused) whose peer may not have heard yet: frames it sent
     * before it did are dropped, not taken for a protocol error. Insertion order, at most
     * {@link Connection#MAX_CHANNELS}: the oldest is forgotten first, so a hostile peer cannot make it grow.
     */
    private final LinkedHashSet<Integer> ended = new LinkedHashSet<>();

    ChannelTable(boolean host) {
        this.host = host;
        this.nextChannel = host ? 2 : 1;
    }

    /** Records the peer's open request, or fails if the id or the count is not the peer's to use. */
    void requested(int id) throws ProtocolException {
        if ((id % 2 == 1) != host || id == 0) {
            throw new ProtocolException("channel id " + id + " belongs to this side");
        }
        if (channels.containsKey(id) || pendingRemote.contains(id)) {
            throw new ProtocolException("channel " + id + " is already open");
        }
        if (ended.contains(id)) {
            throw new ProtocolException("channel " + id + " was used before");
        }
        if (channels.size() + pendingRemote.size() >= Connection.MAX_CHANNELS) {
            throw new ProtocolException("more than " + Connection.MAX_CHANNELS + " channels");
        }
        pendingRemote.add(id);
    }

    /** This side accepted the peer's request. */
    void accepted(SessionChannel ch) {
        pendingRemote.remove(ch.id());
        channels.put(ch.id(), ch);
    }

    /** This side refused the peer's request. */
    void refused(int id) {
        pendingRemote.remove(id);
        ended(id);
    }

    /** Takes the next id of this side for a request of its own. */
    int request(LocalOpen open) {
        int id = nextChannel;
        nextChannel += 2;
        pendingLocal.put(id, open);
        return id;
    }

    /** The request the peer answered; an answer for an id never requested is an error. */
    LocalOpen answered(int id) throws ProtocolException {
        LocalOpen open = pendingLocal.remove(id);
        if (open == null) {
            throw new ProtocolException("answer for channel " + id + ", which was not requested");
        }
        return open;
    }

    void opened(SessionChannel ch) {
        channels.put(ch.id(), ch);
    }

    SessionChannel get(int id) {
        return channels.get(id);
    }

    /**
     * The open channel for the peer's data, or null when this side ended it recently (the data crossed
     * the close and is dropped). Data for a channel never opened (or ended too long ago) is an error.
     */
    SessionChannel forData(int id) throws ProtocolException {
        SessionChannel ch = channels.get(id);
        if (ch == null && !ended.contains(id)) {
            throw new ProtocolException("data for channel " + id + ", which is not open");
        }
        return ch;
    }

    /** The peer closed a channel; its close is the last it sends on this id. */
    SessionChannel closedByPeer(int id) {
        // Both sides closed at once: nothing more will come on this id.
        ended.remove(id);
        return channels.remove(id);
    }

    /** This side closes a channel; false if it was not open. */
    boolean closedHere(int id) {
        if (channels.remove(id) == null) {
            return false;
        }
        ended(id);
        return true;
    }

    /** The open channels, for the scheduler. */
    Collection<SessionChannel> open() {
        return channels.values();
    }

    /** Empties the table when the connection closed: the channels that were open. */
    List<SessionChannel> drainChannels() {
        List<SessionChannel> open = List.copyOf(channels.values());
        channels.clear();
        return open;
    }

    /** Empties the table when the connection closed: this side's requests still unanswered. */
    List<CompletableFuture<SessionChannel>> drainRequests() {
        List<CompletableFuture<SessionChannel>> waiting = pendingLocal.values().stream().map(LocalOpen::answer).toList();
        pendingLocal.clear();
        return waiting;
    }

    int endedKept() {
        return ended.size();
    }

    private void ended(int id) {
        ended.add(id);
        if (ended.size() > Connection.MAX_CHANNELS) {
            Iterator<Integer> oldest = ended.iterator();
            oldest.next();
            oldest.remove();
        }
    }
}
