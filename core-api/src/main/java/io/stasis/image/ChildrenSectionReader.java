package io.stasis.image;

import java.util.ArrayList;
import java.util.List;

/** The CHILDREN section: {@code u32 count}, then {@code u32 pid, u32 state, u32 wait_status} each. */
final class ChildrenSectionReader {

    private ChildrenSectionReader() {
    }

    static List<ChildRecord> read(ImageInput in) {
        long count = Integer.toUnsignedLong(in.u32());
        List<ChildRecord> children = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            int pid = in.u32();
            int state = in.u32();
            int status = in.u32();
            if (state != ChildRecord.RUNNING && state != ChildRecord.ZOMBIE) {
                throw in.invalid("child " + Integer.toUnsignedString(pid) + " has state " + state);
            }
            children.add(new ChildRecord(pid, state, status));
        }
        return children;
    }
}
