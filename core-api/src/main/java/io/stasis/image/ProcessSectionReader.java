package io.stasis.image;

import java.util.ArrayList;
import java.util.List;

/** The PROCESS section, field by field as in docs/image-format.md. */
final class ProcessSectionReader {

    private ProcessSectionReader() {
    }

    static ProcessInfo read(ImageInput in) {
        String program = in.str();
        String exe = in.str();
        String cwd = in.str();
        String hostname = in.str();
        String uniqueId = in.str();
        String computationId = in.str();
        int pid = in.u32();
        int ppid = in.u32();
        int pgid = in.u32();
        int sid = in.u32();
        int realPid = in.u32();
        int umask = in.u32();
        int uid = in.u32();
        int gid = in.u32();
        int computationSize = in.u32();
        int threadCount = in.u32();
        MemoryLayout layout = new MemoryLayout(in.u64(), in.u64(), in.u64(), in.u64(), in.u64(), in.u64(),
                in.u64(), in.u64(), in.u64(), in.u64(), in.u64());
        long restartMailbox = in.u64();
        long checkpointTime = in.u64();

        // Lists grow as records are read, never pre-sized from a count that may lie.
        List<ResourceLimit> limits = new ArrayList<>();
        long limitCount = Integer.toUnsignedLong(in.u32());
        for (long i = 0; i < limitCount; i++) {
            limits.add(new ResourceLimit(in.u32(), in.u64(), in.u64()));
        }
        List<IntervalTimer> timers = new ArrayList<>();
        long timerCount = Integer.toUnsignedLong(in.u32());
        for (long i = 0; i < timerCount; i++) {
            timers.add(new IntervalTimer((int) i, in.u64(), in.u64()));
        }
        List<String> plugins = new ArrayList<>();
        int pluginCount = in.u16();
        for (int i = 0; i < pluginCount; i++) {
            plugins.add(in.str());
        }
        String comm = in.str();
        return new ProcessInfo(program, exe, cwd, hostname, uniqueId, computationId, pid, ppid, pgid, sid,
                realPid, umask, uid, gid, computationSize, threadCount, layout, restartMailbox, checkpointTime,
                limits, timers, plugins, comm);
    }
}
