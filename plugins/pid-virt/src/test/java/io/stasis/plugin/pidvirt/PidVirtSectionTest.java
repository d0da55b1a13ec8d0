package io.stasis.plugin.pidvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PidVirtSectionTest {

    private static ByteBuffer section(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.flip();
    }

    private static final int MAGIC = 0x31545650;

    @Test
    void describesTheTableOfARestartedProcess() {
        assertThat(new PidVirtSection().describe(1, section(MAGIC, 4242, 5151, 1, 4243, 5152, 1, 4244, 5153)))
                .containsExactly("pid 4242 (kernel 5151)", "process ids renamed by a restart: 1",
                        "  process 4243 is kernel 5152", "thread ids renamed by a restart: 1",
                        "  thread 4244 is kernel 5153");
    }

    @Test
    void aProcessNeverRestartedHasNothingRenamed() {
        assertThat(new PidVirtSection().describe(1, section(MAGIC, 77, 77, 0, 0)))
                .containsExactly("pid 77", "process ids renamed by a restart: 0", "thread ids renamed by a restart: 0");
    }

    @Test
    void damagedBytesAreRefused() {
        PidVirtSection decoder = new PidVirtSection();
        assertThatThrownBy(() -> decoder.describe(1, section(0x12345678, 1, 1, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a pid-virt section");
        assertThatThrownBy(() -> decoder.describe(1, section(MAGIC, 1, 2, 3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("truncated pid-virt section");
        assertThatThrownBy(() -> decoder.describe(1, section(MAGIC, 1, 2, -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a table of 4294967295 ids");
        assertThatThrownBy(() -> decoder.describe(1, section(MAGIC, 1, 2, 0, 0, 9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("4 bytes after the thread table");
    }
}
