package org.tandemrc.session.files.internal;

import java.nio.ByteBuffer;

/**
 * What a receiver already has of a file, so the sender sends less: the partial file an interrupted
 * transfer left (its length and hash: the sender resumes after it when its own file starts the same),
 * or the old version of the file (its block signature: the sender sends only what changed).
 *
 * @param partialLength bytes of the partial file, 0 when there is none
 * @param partialSha256 their SHA-256, or an empty array
 * @param basis         the old version's signature, or null
 */
record Offer(long partialLength, byte[] partialSha256, Delta.Signature basis) {

    static final Offer NONE = new Offer(0, new byte[0], null);

    void write(FileWire.Out out) {
        out.i64(partialLength).bytes(partialSha256).bool(basis != null);
        if (basis != null) {
            out.bytes(basis.encode());
        }
    }

    static Offer read(FileWire.In in) {
        long partial = in.i64();
        byte[] sha = in.bytes(32);
        if (partial < 0 || partial > 0 && sha.length != 32) {
            throw new IllegalArgumentException("a malformed offer");
        }
        Delta.Signature basis = in.bool() ? Delta.Signature.decode(ByteBuffer.wrap(in.bytes(FileWire.MAX_SIGNATURE)))
                : null;
        return new Offer(partial, sha, basis);
    }
}
