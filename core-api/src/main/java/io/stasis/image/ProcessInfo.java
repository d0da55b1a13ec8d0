package io.stasis.image;

import java.util.List;

/** The PROCESS section: process-wide state. Ids are the ones the program saw. */
public record ProcessInfo(
        String program,
        String exe,
        String cwd,
        String hostname,
        String uniqueId,
        String computationId,
        int pid,
        int ppid,
        int pgid,
        int sid,
        int realPid,
        int umask,
        int uid,
        int gid,
        int computationSize,
        int threadCount,
        MemoryLayout memoryLayout,
        long restartMailbox,
        long checkpointTimeMs,
        List<ResourceLimit> resourceLimits,
        List<IntervalTimer> intervalTimers,
        List<String> plugins,
        String comm) {

    public ProcessInfo {
        resourceLimits = List.copyOf(resourceLimits);
        intervalTimers = List.copyOf(intervalTimers);
        plugins = List.copyOf(plugins);
    }
}
