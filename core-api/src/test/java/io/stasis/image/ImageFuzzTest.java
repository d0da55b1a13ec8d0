package io.stasis.image;

import io.stasis.api.json.Json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * No byte sequence makes the reader, verifier or inspector throw anything but
 * {@link InvalidImageException}, or hang; every truncation and every single-byte change of
 * a valid image is caught, by the reader or by the checksums.
 */
class ImageFuzzTest {

    private static final Path NAME = Path.of("fuzz.stasis");
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final byte[] valid = ImageWriter.sample().unknownSection(99, new byte[] {1, 2, 3}).toBytes();

    @Test
    void everyTruncationIsRejected() {
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int length = 0; length < valid.length; length++) {
                byte[] cut = Arrays.copyOf(valid, length);
                Outcome outcome = examine(cut);
                assertThat(outcome.opened).as("truncated to %d bytes", length).isFalse();
                assertThat(outcome.verified).as("truncated to %d bytes", length).isFalse();
            }
        });
    }

    /**
     * Every byte outside block payloads, with several masks; inside payloads, where only the
     * block CRC can notice, every 61st byte.
     */
    @Test
    void everySingleByteChangeIsDetected() throws IOException {
        Image layout = ImageReader.read(new MemoryChannel(valid), NAME);
        boolean[] payload = new boolean[valid.length];
        for (MemoryBlock block : layout.blocks()) {
            Arrays.fill(payload, (int) block.payloadOffset(), (int) (block.payloadOffset() + block.storedLength()), true);
        }
        Random random = new Random(7);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int offset = 0; offset < valid.length; offset++) {
                if (payload[offset] && offset % 61 != 0) {
                    continue;
                }
                for (int mask : new int[] {0x01, 0x80, 0xFF, 1 + random.nextInt(255)}) {
                    byte[] changed = ImageBytes.xor(valid, offset, mask);
                    boolean verified = ImageVerifier.verify(new MemoryChannel(changed), NAME, false).ok();
                    assertThat(verified).as("byte %d xor 0x%02x", offset, mask).isFalse();
                }
            }
        });
    }

    /** The flips again, this time through every reader entry point, on a sample of offsets. */
    @Test
    void singleByteChangesNeverEscapeAsAnotherException() {
        Random random = new Random(8);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int i = 0; i < 3000; i++) {
                int offset = random.nextInt(valid.length);
                Outcome outcome = examine(ImageBytes.xor(valid, offset, 1 + random.nextInt(255)));
                assertThat(outcome.verified).as("byte %d changed", offset).isFalse();
            }
        });
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() {
        Random random = new Random(1234);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int i = 0; i < 3000; i++) {
                byte[] bytes = new byte[random.nextInt(4096)];
                random.nextBytes(bytes);
                switch (i % 3) {
                    case 0 -> { }
                    // A valid header, so the section parsers see the garbage.
                    case 1 -> System.arraycopy(valid, 0, bytes, 0, Math.min(64, bytes.length));
                    // A valid prefix of random length, then garbage.
                    default -> System.arraycopy(valid, 0, bytes, 0, Math.min(random.nextInt(valid.length),
                            bytes.length));
                }
                examine(bytes);
            }
        });
    }

    @Test
    void scatteredChangesNeverEscapeAsAnotherException() {
        Random random = new Random(99);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int i = 0; i < 3000; i++) {
                byte[] bytes = valid.clone();
                int changes = 1 + random.nextInt(8);
                for (int c = 0; c < changes; c++) {
                    int at = random.nextInt(bytes.length);
                    bytes[at] = (byte) (random.nextBoolean() ? random.nextInt(256) : bytes[at] ^ 0xFF);
                }
                examine(bytes);
            }
        });
    }

    private record Outcome(boolean opened, boolean verified) {
    }

    /** Runs everything a user can run on a file; fails the test on any exception but InvalidImageException. */
    private static Outcome examine(byte[] bytes) throws IOException {
        Image image;
        try {
            image = ImageReader.read(new MemoryChannel(bytes), NAME);
        } catch (InvalidImageException expected) {
            VerificationReport report = ImageVerifier.verify(new MemoryChannel(bytes), NAME, true);
            assertThat(report.ok()).isFalse();
            return new Outcome(false, false);
        }
        VerificationReport report = ImageVerifier.verify(new MemoryChannel(bytes), image, true);
        ImageInspector.describe(image, report, false);
        Json.parse(ImageInspector.describe(image, report, true));
        image.regionUsage();
        try (ImageData data = ImageData.over(image, new MemoryChannel(bytes))) {
            for (MemoryBlock block : image.blocks()) {
                try {
                    data.decode(block);
                } catch (InvalidImageException expected) {
                    // a corrupt block: the verifier reported it too
                }
            }
        }
        return new Outcome(true, report.ok());
    }
}
