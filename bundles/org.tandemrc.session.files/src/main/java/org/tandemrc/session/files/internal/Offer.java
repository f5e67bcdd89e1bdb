package org.tandemrc.session.files.internal;

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
}
