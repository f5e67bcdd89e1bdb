package org.tandemrc.api.guest;

import java.time.Instant;

/**
 * A Host's request for help, held by the Guest's {@link HelpDesk} over the secured connection the
 * Host dialed, until a supporter takes it or the Host cancels.
 *
 * @param id          the help desk's name for the request, unique while the desk runs
 * @param service     the help service (the Host's "help provider") it was sent to
 * @param hostName    the Host's name
 * @param user        the user at the Host who asked, as the Host reports it
 * @param problem     the problem description, possibly empty
 * @param address     where the link came from, as the device reports it (a Gateway's address when
 *                    the Host came through one)
 * @param fingerprint the SHA-256 fingerprint of the Host's identity key
 * @param received    when the request arrived
 */
public record HelpRequest(String id, String service, String hostName, String user, String problem, String address,
        String fingerprint, Instant received) {
}
