package io.stasis.coordinator.engine;

/**
 * Whether a process the coordinator waits for is certainly gone: an exec'd program that exited before it
 * registered never will. Only a process on the coordinator's own machine can be looked at; for any other
 * the answer is "not known to be gone", and the wait ends with its timeout.
 */
@FunctionalInterface
public interface ProcessProbe {

    /** Never knows anything: every wait ends with its timeout. */
    ProcessProbe NOTHING_KNOWN = (host, pid) -> false;

    /**
     * @param host the host the process registered from (its {@code uname} node name), or empty for this machine
     * @param pid  its kernel pid there
     */
    boolean isGone(String host, long pid);
}
