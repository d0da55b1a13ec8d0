package io.stasis.plugin.files;

import io.stasis.api.plugin.ResourcePlugin;
import java.util.Optional;

/**
 * Built-in plugin: what the core does not recreate by itself from a path — deleted files and memfds (their
 * contents saved), fifos (their bytes in flight), eventfd, epoll, signalfd, timerfd, inotify — and the
 * check that the regular files a process had open did not change before it is restarted.
 */
public final class FilesPlugin implements ResourcePlugin {

    @Override
    public String id() {
        return "files";
    }

    @Override
    public String description() {
        return "deleted files, memfds, fifos, eventfd, epoll, signalfd, timerfd, inotify; changed-file checks";
    }

    @Override
    public Optional<String> fragment() {
        return Optional.of("libstasis_files.so");
    }
}
