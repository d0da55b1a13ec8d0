package io.stasis.tests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.image.FdRecord;
import io.stasis.image.Image;
import io.stasis.image.ImageData;
import io.stasis.image.PluginSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Bytes the images hold of what was in flight at checkpoint: in anonymous pipes (the core's FDS records) and in
 * fifos (the files plugin's FIFO records: layout in plugins/files/native/files_fifo.c, [u32 kind][i32 fd][u64 length]
 * records after the magic, data_length at byte 40 of a FIFO payload). A test that checks something about bytes in
 * flight checks with these that its checkpoint really caught some.
 */
final class InFlight {

    private static final int FILES_MAGIC = 0x314c4946;
    private static final int FIFO_RECORD = 4;

    private InFlight() {
    }

    static long pipeBytes(List<Image> images) {
        return images.stream().flatMap(image -> image.fds().stream()).mapToLong(FdRecord::dataLength).sum();
    }

    /** Bytes saved with a pipe read end that no process could write to any more (the writer had exited). */
    static long pipeBytesWithoutWriter(List<Image> images) {
        return images.stream().flatMap(image -> image.fds().stream())
                .filter(fd -> fd.flagNames().contains("no-writer")).mapToLong(FdRecord::dataLength).sum();
    }

    static long fifoBytes(List<Image> images) {
        long total = 0;
        for (Image image : images) {
            try (ImageData data = ImageData.open(image)) {
                for (PluginSection section : image.pluginSections()) {
                    if (section.pluginId().equals("files")) {
                        total += fifoBytes(ByteBuffer.wrap(data.pluginData(section)).order(ByteOrder.LITTLE_ENDIAN));
                    }
                }
            }
        }
        return total;
    }

    private static long fifoBytes(ByteBuffer section) {
        assertThat(section.getInt()).as("files section magic").isEqualTo(FILES_MAGIC);
        long total = 0;
        while (section.remaining() >= 16) {
            int kind = section.getInt();
            section.getInt();
            long length = section.getLong();
            int start = section.position();
            if (kind == FIFO_RECORD) {
                total += section.getLong(start + 40);
            }
            section.position(Math.toIntExact(start + length));
        }
        return total;
    }
}
