package org.tandemrc.security.server.internal;

import io.nayuki.qrcodegen.QrCode;

/**
 * A one-time code's {@code otpauth://} URI as a QR code for an authenticator app to scan: drawn with block
 * characters for {@code tandem admin security otp enroll}'s output, or as SVG for the browser console.
 */
final class Qr {

    /** Modules of light border around the code, as the standard asks. */
    private static final int QUIET = 2;

    private Qr() {
    }

    /** Two modules a character cell. */
    static String text(String text) {
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

    /**
     * One module a unit, dark modules as one path on a white square, so it scales to any size without
     * blurring and holds nothing but the code (the URI itself is not in it).
     */
    static String svg(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + 2 * QUIET;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + QUIET).append(',').append(y + QUIET).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size
                + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\"><rect width=\"100%\""
                + " height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
