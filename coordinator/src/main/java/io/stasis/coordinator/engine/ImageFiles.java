package io.stasis.coordinator.engine;

import java.util.Optional;

/**
 * What the coordinator does to the image files of a process that vanished during a checkpoint; the
 * process cannot clean up after itself any more. Both calls are best effort: on another host without a
 * shared file system the files are out of reach.
 */
public interface ImageFiles {

    /** Before the commit point: deletes the process's temporary image, so no stale {@code .tmp} is left. */
    void discardTemporary(ProcessRecord process, String checkpointDir);

    /**
     * After the commit point (every image complete and fsynced): renames the process's temporary image into
     * place if it did not get to do it. Returns the image, or empty when it cannot be found from here.
     */
    Optional<ImageInfo> completeCommit(ProcessRecord process, String checkpointDir);
}
