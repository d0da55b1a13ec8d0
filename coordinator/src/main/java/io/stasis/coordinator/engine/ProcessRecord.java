package io.stasis.coordinator.engine;

import io.stasis.coordinator.protocol.Register;

/** What the coordinator knows about one registered process. */
public record ProcessRecord(long number, String uniqueId, long pid, long realPid, String host, String program,
                            ProcessState state, long generation, String computationId, long computationSize) {

    static ProcessRecord registered(long number, Register r) {
        return new ProcessRecord(number, r.uniqueId(), r.pid(), r.realPid(), r.host(), r.program(),
                r.restarting() ? ProcessState.RESTARTING : ProcessState.RUNNING,
                r.generation(), r.computationId(), r.computationSize());
    }

    public ProcessRecord withState(ProcessState newState) {
        return new ProcessRecord(number, uniqueId, pid, realPid, host, program, newState, generation, computationId,
                computationSize);
    }

    public ProcessRecord withGeneration(long newGeneration) {
        return new ProcessRecord(number, uniqueId, pid, realPid, host, program, state, newGeneration, computationId,
                computationSize);
    }

    /** {@code pid 1234 (prog)}, for messages. */
    public String describe() {
        return "pid " + pid + " (" + program + ")";
    }
}
