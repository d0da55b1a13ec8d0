package io.stasis.plugin.ipc;

import io.stasis.api.plugin.ResourcePlugin;
import java.util.Optional;

/** Built-in plugin: System V and POSIX shared memory, semaphores and message queues. */
public final class IpcPlugin implements ResourcePlugin {

    @Override
    public String id() {
        return "ipc";
    }

    @Override
    public String description() {
        return "System V and POSIX shared memory, semaphores and message queues";
    }

    @Override
    public Optional<String> fragment() {
        return Optional.empty();
    }
}
