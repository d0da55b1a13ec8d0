package io.stasis.image;

/** One {@code setitimer} timer; {@code which} is its index in the image: 0 REAL, 1 VIRTUAL, 2 PROF. */
public record IntervalTimer(int which, long intervalUs, long valueUs) {

    public String name() {
        return switch (which) {
            case 0 -> "REAL";
            case 1 -> "VIRTUAL";
            case 2 -> "PROF";
            default -> "timer " + which;
        };
    }
}
