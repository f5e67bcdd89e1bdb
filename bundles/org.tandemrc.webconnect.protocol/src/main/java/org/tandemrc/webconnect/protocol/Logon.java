package org.tandemrc.webconnect.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The account logon to a manager: SRP-6a proofs bound to the manager's nonce and the account name. */
public final class Logon {

    private Logon() {
    }

    /** The 32-byte binding both sides pass to SRP: SHA-256 of a label, the nonce and the account. */
    public static byte[] binding(byte[] managerNonce, String account) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("tandem webconnect logon v1".getBytes(StandardCharsets.US_ASCII));
            d.update(managerNonce);
            d.update(account.getBytes(StandardCharsets.UTF_8));
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid account and Host names: 1..64 letters, digits, '.', '-', '_'. */
    public static boolean validName(String name) {
        return name != null && name.matches("[A-Za-z0-9._-]{1,64}");
    }
}
