package org.tandemrc.api.event;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The central store of audit events that nodes send to their Security Server (the reference's "Log on
 * server"). A node numbers its events from 0 and resends whatever was not acknowledged, so a store keeps
 * each number of a source once: a batch resent after a lost acknowledgement stores nothing twice, and a
 * gap is never papered over.
 */
@ConsumerType
public interface AuditTrail {

    /**
     * Stores the events numbered {@code first}, {@code first + 1}, ... from {@code source}, skipping those
     * already stored. Events beyond a gap (a number above the next one expected from the source) are
     * not stored.
     *
     * @param source the sending node, by its key's fingerprint
     * @param name   the node's registered name, for searching
     * @return the highest number stored for {@code source} after this call (-1 when none): the node may
     *         forget every event up to it
     * @throws IOException when the store cannot be written; nothing of the batch is acknowledged
     */
    long append(String source, String name, long first, List<AuditEvent> events) throws IOException;
}
