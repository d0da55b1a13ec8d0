package io.stasis.plugin.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FifoRecordsTest {

    private static final FifoRecords FIFO = new FifoRecords();

    /** A record laid out as files_fifo.c writes it. */
    private static ByteBuffer record(int openFlags, int flags, int aliasOf, String path, byte[] data) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(FifoRecords.HEAD_BYTES + name.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(2049).putLong(1234567).putInt(openFlags).putInt(0010600).putInt(65536).putInt(flags)
                .putInt(aliasOf).putInt(name.length).putLong(data.length).put(name).put(data);
        return b.flip();
    }

    @Test
    void aReadEndWithBytesInFlight() {
        assertThat(FIFO.describe(3, record(0100000, FifoRecords.HOLDS_DATA, -1, "/tmp/work/stream.fifo",
                new byte[60408]))).isEqualTo("fifo /tmp/work/stream.fifo, read, mode 600, capacity 65536, "
                + "60408 bytes in flight, dev 2049 ino 1234567");
    }

    @Test
    void aNonBlockingWriteEndOfAnUnlinkedFifo() {
        assertThat(FIFO.describe(4, record(0104001, FifoRecords.DELETED, -1, "/tmp/f", new byte[0])))
                .isEqualTo("fifo /tmp/f (deleted), write nonblock, mode 600, capacity 65536, dev 2049 ino 1234567");
    }

    @Test
    void aDupOfAnotherDescriptor() {
        assertThat(FIFO.describe(7, record(02, 0, 3, "/tmp/f", new byte[0])))
                .isEqualTo("fifo /tmp/f, read-write, same open file description as fd 3");
    }

    @Test
    void theBufferPositionIsLeftAlone() {
        ByteBuffer payload = record(0, FifoRecords.HOLDS_DATA, -1, "/f", new byte[5]);
        FIFO.describe(3, payload);
        assertThat(payload.position()).isZero();
    }

    @Test
    void aTruncatedHeadIsRefused() {
        assertThatThrownBy(() -> FIFO.describe(3, ByteBuffer.allocate(20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than its 48-byte head");
    }

    @Test
    void aRecordWhoseLengthsDoNotAddUpIsRefused() {
        ByteBuffer cut = record(0, FifoRecords.HOLDS_DATA, -1, "/tmp/f", new byte[100]);
        cut.limit(cut.limit() - 1);
        assertThatThrownBy(() -> FIFO.describe(3, cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not hold its 6-byte path and 100 bytes in flight");
    }

    @Test
    void anEmptyOrHugePathIsRefused() {
        assertThatThrownBy(() -> FIFO.describe(3, record(0, 0, -1, "", new byte[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fifo record with a path of 0 bytes");
        ByteBuffer huge = record(0, 0, -1, "/f", new byte[0]);
        huge.putInt(36, -1);
        assertThatThrownBy(() -> FIFO.describe(3, huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fifo record with a path of 4294967295 bytes");
    }

    @Test
    void aDataLengthWithTheTopBitSetIsRefused() {
        ByteBuffer b = record(0, FifoRecords.HOLDS_DATA, -1, "/f", new byte[0]);
        b.putLong(40, Long.MIN_VALUE);
        assertThatThrownBy(() -> FIFO.describe(3, b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9223372036854775808 bytes in flight");
    }
}
