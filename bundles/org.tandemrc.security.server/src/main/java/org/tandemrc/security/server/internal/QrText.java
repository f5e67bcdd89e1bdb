package org.tandemrc.security.server.internal;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code drawn with block characters, two modules a character cell, for an authenticator app to scan
 * from {@code tandem admin security otp enroll}'s output.
 */
final class QrText {

    /** Modules of light border around the code, as the standard asks. */
    private static final int QUIET = 2;

    private QrText() {
    }

    static String render(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        StringBuilder out = new StringBuilder();
        for (int y = -QUIET; y < qr.size + QUIET; y += 2) {
            for (int x = -QUIET; x < qr.size + QUIET; x++) {
                boolean top = qr.getModule(x, y);
                boolean bottom = qr.getModule(x, y + 1);
                // Light is drawn, dark left blank: terminals are usually dark, so the code reads as printed.
                out.append(top ? (bottom ? ' ' : '▄') : (bottom ? '▀' : '█'));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
