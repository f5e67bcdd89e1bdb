package org.tandemrc.security.client.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.LogonBegin;
import org.tandemrc.protocol.security.SecurityServerWire.LogonChallenge;
import org.tandemrc.protocol.security.SecurityServerWire.LogonProve;
import org.tandemrc.protocol.security.SecurityServerWire.LogonVerdict;
import org.tandemrc.support.event.EventRecorder;

/**
 * The Host's access method {@value #METHOD}: the Guest's logon goes to the Security Server as it is
 * (the challenge back to the Guest unchanged, the proof with the binding of the Guest's connection), and
 * the server's verdict names the identity and the role its rules give on this Host. The role travels
 * as the identity's only group, so the Host's own rule (the first group names the role) applies it.
 * Unreachable, {@link #begin} throws {@link IOException}: the Host then follows its {@code fallback}.
 * The same relay with purpose {@code console} is the method {@value #CONSOLE_METHOD}, with which a browser
 * console logs its supporters on (the server's rules for the host pattern {@code console} decide).
 */
record DelegatedLogon(ServerClient client, EventRecorder events, SecurityServerWire.Purpose purpose)
        implements Authenticator {

    static final String METHOD = "security-server";
    static final String CONSOLE_METHOD = "security-server-console";

    /** The Host's method. */
    DelegatedLogon(ServerClient client, EventRecorder events) {
        this(client, events, SecurityServerWire.Purpose.HOST);
    }
    static final Duration ANSWER = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger("org.tandemrc.security.client");

    @Override
    public String method() {
        return purpose == SecurityServerWire.Purpose.CONSOLE ? CONSOLE_METHOD : METHOD;
    }

    @Override
    public Exchange begin(String user, String sourceAddress) throws IOException {
        String id = client.newId();
        String source = sourceAddress.length() > SecurityServerWire.MAX_NAME
                ? sourceAddress.substring(0, SecurityServerWire.MAX_NAME) : sourceAddress;
        ControlMessage answer = ask(id, new LogonBegin(id, user, source.isEmpty() ? "-" : source,
                purpose).message());
        Map<String, byte[]> challenge;
        try {
            if (answer.type().equals(SecurityServerWire.LOGON_VERDICT)) {
                LogonVerdict v = LogonVerdict.of(answer);
                denied(user, sourceAddress, v);
                // Refused before any challenge (a disabled account): the Guest learns no more than that.
                throw new IllegalArgumentException("the Security Server refused this logon");
            }
            challenge = LogonChallenge.of(answer).values();
        } catch (ProtocolException e) {
            throw new IOException("the Security Server answered a logon with a malformed message: " + e.getMessage());
        }
        return new Exchange() {
            @Override
            public Map<String, byte[]> challenge() {
                return challenge;
            }

            @Override
            public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                if (proof.size() > SecurityServerWire.MAX_VALUES
                        || proof.values().stream().anyMatch(v -> v.length > SecurityServerWire.MAX_VALUE_BYTES)) {
                    return AuthResult.denied("malformed proof: too many or too long values");
                }
                LogonVerdict v;
                try {
                    v = LogonVerdict.of(ask(id, new LogonProve(id, proof, binding).message()));
                } catch (IOException e) {
                    return AuthResult.denied("the Security Server did not decide: " + e.getMessage());
                } catch (ProtocolException e) {
                    return AuthResult.denied("the Security Server's verdict is malformed: " + e.getMessage());
                }
                if (!v.granted()) {
                    denied(user, sourceAddress, v);
                    return AuthResult.denied(v.failure().orElseThrow() + " (Security Server, " + v.method() + ")");
                }
                String name = v.user().orElseThrow();
                String role = v.role().orElseThrow();
                events.record(EventCodes.TANDEM_SECURITY_SERVER_GRANTED, Severity.INFO, sourceAddress, name,
                        "the Security Server (" + v.method() + ") granted role " + role);
                return AuthResult.granted(new Identity(name, METHOD, Set.of(role)), v.answer());
            }
        };
    }

    private ControlMessage ask(String id, ControlMessage m) throws IOException {
        try {
            return client.ask(id, m, ANSWER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Security Server");
        }
    }

    private void denied(String user, String source, LogonVerdict v) {
        String why = v.failure().orElse("denied");
        LOG.log(System.Logger.Level.INFO, "the Security Server denied {0} from {1}: {2}", user, source, why);
        events.record(EventCodes.TANDEM_SECURITY_SERVER_DENIED, Severity.SECURITY, source, user,
                "the Security Server (" + v.method() + ") denied: " + why);
    }
}
