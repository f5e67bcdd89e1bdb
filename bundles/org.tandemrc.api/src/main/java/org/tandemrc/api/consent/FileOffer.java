package org.tandemrc.api.consent;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file a Guest offers to send to this computer, for the person at the Host to save where they choose or
 * refuse.
 *
 * @param request who offers (kind {@link ConsentKind#FILE_PUSH}), from where, with which role, and how long the
 *                person has to answer
 * @param name    the file's name as the Guest sent it, already made one plain name by the Host (no separator,
 *                no control character, no leading dot): safe to show and to propose as a file name in a folder,
 *                never a path
 * @param size    the bytes the Guest announced; more is refused while it arrives
 * @param proposed where the Host proposes to save it: {@code name} in the Host's folder for received files (the
 *                 user's Downloads folder, or home), renamed when that name is taken; what a prompt that cannot
 *                 browse saves to, and where one that can starts
 */
public record FileOffer(ConsentRequest request, String name, long size, Path proposed) {
    public FileOffer {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(proposed, "proposed");
        if (size < 0) {
            throw new IllegalArgumentException("a file's size cannot be negative");
        }
    }
}
