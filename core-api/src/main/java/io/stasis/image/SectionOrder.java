package io.stasis.image;

import java.util.EnumSet;
import java.util.Set;

/**
 * Enforces "PROCESS, THREADS, REGIONS, FDS, SIGNALS, CHILDREN?, PLUGIN*, MEMORY": each known kind
 * once (PLUGIN any number of times), never after a later one. Unknown kinds may appear
 * anywhere before MEMORY.
 */
final class SectionOrder {

    private static final Set<SectionKind> REQUIRED = EnumSet.range(SectionKind.PROCESS, SectionKind.SIGNALS);

    private final ImageInput in;
    private final Set<SectionKind> seen = EnumSet.noneOf(SectionKind.class);
    private SectionKind last;

    SectionOrder(ImageInput in) {
        this.in = in;
    }

    void accept(SectionKind kind, long offset) {
        if (kind != SectionKind.PLUGIN && seen.contains(kind)) {
            throw in.invalid("second " + kind + " section at offset " + offset);
        }
        if (last != null && kind.ordinal() < last.ordinal()) {
            throw in.invalid(kind + " section at offset " + offset + " comes after " + last);
        }
        if (kind == SectionKind.MEMORY) {
            for (SectionKind required : REQUIRED) {
                if (!seen.contains(required)) {
                    throw in.invalid("no " + required + " section before MEMORY at offset " + offset);
                }
            }
        }
        seen.add(kind);
        last = kind;
    }
}
