package io.stasis.image;

import java.util.ArrayList;
import java.util.List;

/** The SIGNALS section: fixed 32-byte dispositions. */
final class SignalsSectionReader {

    private SignalsSectionReader() {
    }

    static List<SignalAction> read(ImageInput in) {
        long count = Integer.toUnsignedLong(in.u32());
        List<SignalAction> signals = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            signals.add(new SignalAction(in.u32(), in.u32(), in.u64(), in.u64(), in.u64()));
        }
        return signals;
    }
}
