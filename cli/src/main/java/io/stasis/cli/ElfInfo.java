package io.stasis.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Just enough ELF to tell whether a program has a dynamic loader ({@code PT_INTERP}). */
final class ElfInfo {

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int PT_INTERP = 3;

    private ElfInfo() {
    }

    /**
     * Empty when the file is not ELF (a script, say) or cannot be read; otherwise whether any program
     * header is {@code PT_INTERP}.
     */
    static Optional<Boolean> hasInterpreter(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(64);
            ch.read(header, 0);
            header.flip();
            if (header.remaining() < 52 || !startsWithMagic(header)) {
                return Optional.empty();
            }
            boolean is64 = header.get(4) == 2;
            header.order(header.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long phoff = is64 ? header.getLong(32) : Integer.toUnsignedLong(header.getInt(28));
            int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 54 : 42));
            int phnum = Short.toUnsignedInt(header.getShort(is64 ? 56 : 44));
            if (phentsize < 4 || phnum == 0xFFFF) {
                return Optional.empty();
            }
            ByteBuffer table = ByteBuffer.allocate(phentsize * phnum).order(header.order());
            ch.read(table, phoff);
            for (int i = 0; i < phnum; i++) {
                if (table.getInt(i * phentsize) == PT_INTERP) {
                    return Optional.of(true);
                }
            }
            return Optional.of(false);
        } catch (IOException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static boolean startsWithMagic(ByteBuffer b) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
