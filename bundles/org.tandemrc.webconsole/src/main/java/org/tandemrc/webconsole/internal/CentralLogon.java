package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * A supporter's console login decided by the Security Server: the console node's Security Server client
 * offers the access method {@value #METHOD} (logon purpose {@code console}); the console answers its
 * challenge for the supporter as a Guest would (SRP for a Guest ID kept on the server, the password itself
 * for a directory or PAM, and the one-time code when asked) and takes the role the server's rules give
 * for the host pattern {@code console}: {@code administrator} or {@code supporter}.
 */
final class CentralLogon {

    /** The access method of the Security Server client for console logons. */
    static final String METHOD = "security-server-console";

    /** The server asked for a one-time code and none was given. */
    static final class CodeRequired extends Logins.Refused {
        private static final long serialVersionUID = 1L;

        CodeRequired() {
            super("enter the one-time code from your authenticator app");
        }
    }

    /** Who the server says the supporter is, and the console role its rules give. */
    record Verdict(String name, Optional<Accounts.Role> role, String roleName) {
    }

    private final SecureRandom random;

    CentralLogon(SecureRandom random) {
        this.random = random;
    }

    /**
     * @return the verdict when the server granted the logon, empty when it denied it (a wrong password,
     *         code or name, a disabled account, no rule): the caller answers every denial alike
     * @throws CodeRequired when the server asks for a code and {@code code} is blank
     * @throws IOException  when the server cannot be asked
     */
    Optional<Verdict> check(Authenticator method, String name, String password, String code, String remote)
            throws IOException, Logins.Refused {
        Authenticator.Exchange exchange;
        try {
            exchange = method.begin(name, remote);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Map<String, byte[]> challenge = exchange.challenge();
        boolean needsCode = PasswordLogon.asksForCode(challenge);
        String trimmed = code == null ? "" : code.trim();
        if (needsCode && trimmed.isEmpty()) {
            throw new CodeRequired();
        }
        // The proof is bound to this attempt: the server checks it against these bytes.
        byte[] binding = new byte[32];
        random.nextBytes(binding);
        char[] chars = password.toCharArray();
        Map<String, byte[]> proof = new HashMap<>();
        SrpClient srp = null;
        try {
            if (PasswordLogon.asksForPassword(challenge)) {
                proof.put(PasswordLogon.PASSWORD, PasswordLogon.utf8(chars));
            } else {
                srp = new SrpClient(name, chars, random);
                proof.putAll(SrpAuthenticator.values(srp.respond(SrpAuthenticator.challenge(challenge), binding)));
            }
        } catch (AuthenticationFailed | IllegalArgumentException e) {
            return Optional.empty();
        } finally {
            Arrays.fill(chars, '\0');
        }
        if (needsCode) {
            proof.put(PasswordLogon.OTP, trimmed.getBytes(StandardCharsets.US_ASCII));
        }
        AuthResult result = exchange.verify(proof, binding);
        proof.values().forEach(v -> Arrays.fill(v, (byte) 0));
        if (!result.granted()) {
            return Optional.empty();
        }
        if (srp != null) {
            try {
                // The server must prove it knew the verifier too, or a node in between could say yes.
                srp.verifyServer(result.answer().getOrDefault(SrpAuthenticator.SERVER_PROOF, new byte[0]));
            } catch (AuthenticationFailed | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String role = result.identity().orElseThrow().groups().stream().findFirst().orElse("");
        Optional<Accounts.Role> consoleRole = Arrays.stream(Accounts.Role.values())
                .filter(r -> r.text().equalsIgnoreCase(role)).findFirst();
        return Optional.of(new Verdict(result.identity().orElseThrow().name(), consoleRole, role));
    }
}
