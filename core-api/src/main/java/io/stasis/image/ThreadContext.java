package io.stasis.image;

/** Callee-saved registers where a thread resumes inside libstasis. */
public record ThreadContext(long rbx, long rbp, long r12, long r13, long r14, long r15, long rsp, long rip) {
}
