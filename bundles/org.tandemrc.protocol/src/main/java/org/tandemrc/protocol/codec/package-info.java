/**
 * The one way Tandem protocols encode message bodies. Each protocol describes its messages as a sealed
 * interface of records, documents its wire layout in its codec's Javadoc, and encodes them with a
 * {@link org.tandemrc.protocol.codec.WireWriter} and decodes them with a
 * {@link org.tandemrc.protocol.codec.WireReader}.
 *
 * <p>The conventions: big-endian; a message starts with a type byte (after a protocol's magic, if it
 * has one); a length or a count is unsigned and precedes what it counts, a length in bytes and a
 * count in items; the width of each (16 or 32 bits) is part of the protocol's layout. A reader checks
 * every length and count against the field's declared maximum and against what is left of the message
 * before allocating anything, refuses malformed UTF-8 and flags other than 0 and 1, and fails on
 * trailing bytes. Whatever a peer sent that breaks this is a {@link org.tandemrc.protocol.ProtocolException},
 * the one decode exception.
 */
@Export
@Version("0.3.0")
package org.tandemrc.protocol.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
