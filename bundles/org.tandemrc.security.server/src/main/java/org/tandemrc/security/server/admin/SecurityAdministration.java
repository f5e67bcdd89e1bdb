package org.tandemrc.security.server.admin;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Security Server's administration, registered by the role while it runs; {@code tandem admin security}
 * runs on it too. Every change is recorded as the command line's change is ({@code TSECSS*}, a node's
 * {@code TSECSSNODE}), naming {@link By who made it}. Bad input is refused with an
 * {@link IllegalArgumentException} whose message a person can act on; a database failure is an
 * {@link IOException}.
 */
@ProviderType
public interface SecurityAdministration {

    /** Who makes a change: the user (an administrator's name) and where from ({@code local}, the console's peer). */
    record By(String user, String from) {
    }

    /** A node that said hello: state {@code pending}, {@code approved} or {@code disabled}. */
    record NodeInfo(String fingerprint, String name, String kind, String state, List<String> groups, Instant lastSeen) {
    }

    /** A Guest ID kept on the server, and whether a one-time code is enrolled and required for it. */
    record GuestInfo(String id, boolean disabled, List<String> groups, boolean otpEnrolled, boolean otpRequired) {
    }

    /** A rule; {@code position} 1 is tried first. */
    record RuleInfo(int position, String guest, String host, String role) {
    }

    /** A new one-time code's secret (base32), its {@code otpauth://} URI and that URI as a QR code in SVG. */
    record Enrolment(String id, String secret, String uri, String qrSvg) {
    }

    /** In the order they first connected. */
    List<NodeInfo> nodes() throws IOException;

    /** Approves a node that connected; {@code name} null keeps its name, {@code groups} empty keeps its groups. */
    NodeInfo approve(String fingerprint, String name, List<String> groups, By by) throws IOException;

    void disableNode(String fingerprint, By by) throws IOException;

    List<GuestInfo> guests() throws IOException;

    /**
     * Adds a Guest ID ({@code groups} non-null) or changes its password ({@code groups} null); the password
     * becomes an SRP verifier and is cleared here. Returns whether it existed.
     */
    boolean putGuest(String id, char[] password, List<String> groups, By by) throws IOException;

    void disableGuest(String id, boolean disabled, By by) throws IOException;

    void deleteGuest(String id, By by) throws IOException;

    List<RuleInfo> rules() throws IOException;

    /** Adds a rule at {@code position} (0: at the end); returns where it went. */
    int addRule(int position, String guest, String host, String role, By by) throws IOException;

    void removeRule(int position, By by) throws IOException;

    /** A new secret for {@code id}, replacing any earlier one. */
    Enrolment enrol(String id, By by) throws IOException;

    void requireOtp(String id, boolean required, By by) throws IOException;
}
