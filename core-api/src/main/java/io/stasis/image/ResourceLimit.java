package io.stasis.image;

/** One {@code getrlimit} value; {@code -1} (all ones) is RLIM_INFINITY. */
public record ResourceLimit(int resource, long soft, long hard) {
}
