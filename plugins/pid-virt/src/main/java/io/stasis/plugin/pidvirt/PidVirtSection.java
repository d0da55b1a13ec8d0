package io.stasis.plugin.pidvirt;

import io.stasis.api.plugin.SectionDecoder;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The fragment's section (native/pidvirt_table.c): "PVT1", this process's virtual and kernel pid, then the
 * processes and the threads whose virtual id differs from their kernel id at checkpoint, as (virtual, kernel)
 * pairs after a u32 count. All little-endian.
 */
final class PidVirtSection implements SectionDecoder {

    private static final int MAGIC = 0x31545650;
    /** more pairs than any table the fragment keeps: the bytes are not a section */
    private static final int MAX_PAIRS = 8192;

    @Override
    public List<String> describe(int version, ByteBuffer data) {
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (in.getInt() != MAGIC) {
                throw new IllegalArgumentException("not a pid-virt section");
            }
            List<String> lines = new ArrayList<>();
            int self = in.getInt();
            int kernelSelf = in.getInt();
            lines.add("pid " + self + (self == kernelSelf ? "" : " (kernel " + kernelSelf + ")"));
            pairs(in, "process", lines);
            pairs(in, "thread", lines);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the thread table");
            }
            return lines;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated pid-virt section");
        }
    }

    private static void pairs(ByteBuffer in, String what, List<String> lines) {
        int count = in.getInt();
        if (count < 0 || count > MAX_PAIRS) {
            throw new IllegalArgumentException("a table of " + Integer.toUnsignedString(count) + " ids");
        }
        lines.add(what + " ids renamed by a restart: " + count);
        for (int i = 0; i < count; i++) {
            int virtual = in.getInt();
            int kernel = in.getInt();
            lines.add("  " + what + " " + virtual + " is kernel " + kernel);
        }
    }
}
