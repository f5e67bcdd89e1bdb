package org.tandemrc.security.server.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.security.server.internal.SecurityStore.Guest;
import org.tandemrc.security.server.internal.SecurityStore.Otp;
import org.tandemrc.security.server.internal.SecurityStore.Rule;
import org.tandemrc.support.otp.Totp;

/**
 * One delegated logon's access method, chosen as it begins (on a logon thread, since it reads the
 * database): a Guest ID kept here is checked by SRP over its stored verifier (a name that is neither a
 * Guest ID nor left to a directory gets SRP's decoy, and fails like a wrong password); any other name
 * goes to the directory's {@link Authenticator} service. Around that method's exchange it asks for and
 * checks the one-time code and applies the rules, inside the proof's check, so that a wrong code is a
 * wrong proof to the logon limits.
 */
final class CentralLogon implements Authenticator {

    static final String METHOD = "security-server";

    private final SecurityServer server;
    private final Rules.Target target;
    /** What was decided, for the verdict; written on the logon thread, read after the engine's answer. */
    private volatile String method = METHOD;
    private volatile String role;

    CentralLogon(SecurityServer server, Rules.Target target) {
        this.server = server;
        this.target = target;
    }

    @Override
    public String method() {
        return METHOD;
    }

    /** The authenticator that decided, once begun. */
    String decidedBy() {
        return method;
    }

    /** The role the rules gave, once granted. */
    String role() {
        return role;
    }

    @Override
    public Exchange begin(String user, String sourceAddress) throws IOException {
        SecuritySettings s = server.settings;
        Optional<Guest> guest;
        List<Rule> rules;
        Optional<Otp> otp;
        try {
            guest = server.store.guest(user);
            rules = server.store.rules();
            otp = server.store.otp(user);
        } catch (SQLException e) {
            throw new IOException("the Security Server's database: " + e.getMessage(), e);
        }
        if (guest.isPresent() && guest.get().disabled()) {
            throw new IllegalArgumentException("the Guest ID " + user + " is disabled");
        }
        Authenticator a;
        Set<String> roles;
        if (guest.isPresent() || s.directory().equals(SecuritySettings.NO_DIRECTORY)) {
            a = server.guestIds;
            Set<String> groups = guest.map(Guest::groups).orElse(Set.of());
            roles = Rules.role(rules, user, groups, target).map(Set::of).orElse(Set.of());
        } else {
            a = new LogonMethods(server.authenticators, List::of).authenticator(s.directory())
                    .orElseThrow(() -> new IOException(LogonMethods.unknown(s.directory())));
            roles = Rules.possibleRoles(rules, user, target);
        }
        method = a.method();
        boolean code = otp.map(Otp::required).orElse(false) || roles.stream().anyMatch(s.otpRoles()::contains);
        return new Checked(user, a.begin(user, sourceAddress), code);
    }

    /** The chosen method's exchange, with the one-time code and the rules after its proof. */
    private final class Checked implements Exchange {
        private final String user;
        private final Exchange inner;
        private final boolean code;

        Checked(String user, Exchange inner, boolean code) {
            this.user = user;
            this.inner = inner;
            this.code = code;
        }

        @Override
        public Map<String, byte[]> challenge() {
            Map<String, byte[]> c = new HashMap<>(inner.challenge());
            if (code) {
                c.put(PasswordLogon.OTP, "1".getBytes(StandardCharsets.US_ASCII));
            }
            return c;
        }

        @Override
        public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
            AuthResult r;
            try {
                r = inner.verify(proof, binding);
            } finally {
                byte[] password = proof.get(PasswordLogon.PASSWORD);
                if (password != null) {
                    Arrays.fill(password, (byte) 0);
                }
            }
            if (!r.granted()) {
                return r;
            }
            Identity id = r.identity().orElseThrow();
            try {
                Set<String> groups = new LinkedHashSet<>(id.groups());
                server.store.guest(user).ifPresent(g -> groups.addAll(g.groups()));
                Optional<String> given = Rules.role(server.store.rules(), user, groups, target);
                if (given.isEmpty()) {
                    return AuthResult.denied("no rule gives " + user + " a role on " + target.node());
                }
                if (code || server.settings.otpRoles().contains(given.get())) {
                    Optional<String> failure = code ? checkCode(proof) : Optional.of("the role " + given.get()
                            + " needs a one-time code the challenge did not ask for (the rules changed)");
                    if (failure.isPresent()) {
                        return AuthResult.denied(failure.get());
                    }
                }
                role = given.get();
                return AuthResult.granted(new Identity(user, id.method(), groups), r.answer());
            } catch (SQLException e) {
                return AuthResult.denied("the Security Server's database: " + e.getMessage());
            }
        }

        private Optional<String> checkCode(Map<String, byte[]> proof) throws SQLException {
            Optional<Otp> otp = server.store.otp(user);
            if (otp.isEmpty()) {
                return Optional.of("a one-time code is required but " + user + " has not enrolled");
            }
            Optional<String> given = PasswordLogon.code(proof);
            if (given.isEmpty()) {
                return Optional.of("no one-time code given");
            }
            Totp totp = Totp.of(Totp.fromBase32(otp.get().secret()));
            OptionalLong step = totp.check(given.get(), server.clock.instant().getEpochSecond(), otp.get().lastStep());
            if (step.isEmpty() || !server.store.spend(user, step.getAsLong())) {
                return Optional.of("wrong or already used one-time code");
            }
            return Optional.empty();
        }
    }
}
