package io.stasis.coordinator.engine;

import io.stasis.coordinator.protocol.Register;

/**
 * What the coordinator knows about one registered process.
 *
 * @param checkpointDir the process's own image directory (REGISTER), used when CHECKPOINT names none
 */
public record ProcessRecord(long number, String uniqueId, long pid, long realPid, String host, String program,
                            ProcessState state, long generation, String computationId, long computationSize,
                            String checkpointDir) {

    static ProcessRecord registered(long number, Register r) {
        return new ProcessRecord(number, r.uniqueId(), r.pid(), r.realPid(), r.host(), r.program(),
                r.restarting() ? ProcessState.RESTARTING : ProcessState.RUNNING,
                r.generation(), r.computationId(), r.computationSize(), r.checkpointDir());
    }

    public ProcessRecord withState(ProcessState newState) {
        return new ProcessRecord(number, uniqueId, pid, realPid, host, program, newState, generation, computationId,
                computationSize, checkpointDir);
    }

    public ProcessRecord withGeneration(long newGeneration) {
        return new ProcessRecord(number, uniqueId, pid, realPid, host, program, state, newGeneration, computationId,
                computationSize, checkpointDir);
    }

    /** {@code pid 1234 (prog)}, for messages. */
    public String describe() {
        return "pid " + pid + " (" + program + ")";
    }
}
