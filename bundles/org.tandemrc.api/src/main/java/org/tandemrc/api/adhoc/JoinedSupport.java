package org.tandemrc.api.adhoc;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The support session a temporary Host joined with its code, for the person at that Host: who helps,
 * until when, and how to end it. The communication device that joined registers it as a service while
 * the session lasts (also while its connection to the manager is down and being dialled again: going
 * offline does not end a session) and withdraws it once the session has ended.
 */
@ProviderType
public interface JoinedSupport {

    /** The session's code, nine digits. */
    String code();

    /** The supporter's name, as the supporter gave it. */
    String supporter();

    /** The account the supporter works for. */
    String account();

    /** When the session's lifetime runs out. */
    Instant ends();

    /**
     * Ends the session on behalf of the person at the Host: the manager is told (the supporter can no
     * longer connect) and {@link #ended()} completes with {@link JoinedSupportEnded.By#PERSON}.
     */
    void end();

    /** Completes once, when the session has ended, with who ended it and the manager's words. */
    CompletionStage<JoinedSupportEnded> ended();
}
