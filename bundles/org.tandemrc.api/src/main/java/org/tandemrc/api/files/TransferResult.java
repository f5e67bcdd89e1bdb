package org.tandemrc.api.files;

import java.util.List;

/**
 * What an operation did.
 *
 * @param files     files written to the destination
 * @param skipped   files left alone by the rules
 * @param deleted   files and folders deleted (move's sources, clone's extras)
 * @param failed    files that failed, each with its reason
 * @param bytes     bytes of the files written
 * @param wireBytes bytes of file data that crossed the link (less than {@code bytes} with delta)
 * @param stopped   whether an error or a cancelled confirmation stopped the operation before the end
 */
public record TransferResult(int files, int skipped, int deleted, List<String> failed, long bytes, long wireBytes,
        boolean stopped) {

    public TransferResult {
        failed = List.copyOf(failed);
    }

    /** Whether everything went through. */
    public boolean ok() {
        return failed.isEmpty() && !stopped;
    }
}
