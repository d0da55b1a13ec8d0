package io.stasis.image;

/**
 * A child of the process at checkpoint (CHILDREN section). {@code pid} is the id the
 * parent knows it by; a zombie is recreated at restart with {@code waitStatus}.
 */
public record ChildRecord(int pid, int state, int waitStatus) {

    public static final int RUNNING = 1;
    public static final int ZOMBIE = 2;

    public boolean zombie() {
        return state == ZOMBIE;
    }
}
