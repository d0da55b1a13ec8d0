package io.stasis.image;

import io.stasis.api.text.ErrorText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Checks every block's CRC and the file CRC (CRC-32C of the bytes before the trailer's
 * CRC field, block payloads excluded) in one sequential pass. An image whose structure
 * does not parse is reported as failed, not thrown.
 */
public final class ImageVerifier {

    /** Deep verification decodes blocks up to this raw size; larger ones get their CRC checked only. */
    static final long DECODE_LIMIT = 256L << 20;
    private static final int CHUNK = 1 << 20;

    private ImageVerifier() {
    }

    /** @throws UncheckedIOException the file cannot be read */
    public static VerificationReport verify(Path path) {
        return verify(path, false);
    }

    /**
     * @param deep also decode each block and check it yields exactly {@code raw_length} bytes
     * @throws UncheckedIOException the file cannot be read
     */
    public static VerificationReport verify(Path path, boolean deep) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return verify(channel, path, deep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + ErrorText.of(e), e);
        }
    }

    /** Verifies an image already opened with {@link ImageReader#open}, without parsing it again. */
    public static VerificationReport verify(Image image, boolean deep) {
        try (FileChannel channel = FileChannel.open(image.path(), StandardOpenOption.READ)) {
            return verify(channel, image, deep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + image.path() + ": " + ErrorText.of(e), e);
        }
    }

    static VerificationReport verify(SeekableByteChannel channel, Path path, boolean deep) throws IOException {
        Image image;
        try {
            image = ImageReader.read(channel, path);
        } catch (InvalidImageException e) {
            return new VerificationReport(path, deep, 0, 0, List.of(e.problem()));
        }
        return verify(channel, image, deep);
    }

    static VerificationReport verify(SeekableByteChannel channel, Image image, boolean deep) throws IOException {
        Pass pass = new Pass(channel, image, deep);
        try {
            pass.run();
        } catch (InvalidImageException e) {
            // The file changed under us (shrank): report it like any other failure.
            pass.problems.add(e.problem());
        }
        return new VerificationReport(image.path(), deep, image.blocks().size(), pass.blocksChecked, pass.problems);
    }

    /** One sequential read of the file, feeding bytes to the file CRC or to a block's CRC. */
    private static final class Pass {
        private final SeekableByteChannel channel;
        private final Image image;
        private final boolean deep;
        private final BlockDecoder decoder;
        private final ByteBuffer buffer;
        private final CRC32C fileCrc = new CRC32C();
        private final List<String> problems = new ArrayList<>();
        private int blocksChecked;

        Pass(SeekableByteChannel channel, Image image, boolean deep) {
            this.channel = channel;
            // Direct, so CRC32C runs on it without a copy; no bigger than the file.
            this.buffer = ByteBuffer.allocateDirect((int) Math.min(CHUNK, Math.max(1, image.trailer().fileLength())));
            this.image = image;
            this.deep = deep;
            this.decoder = new BlockDecoder(image.path().toString());
        }

        void run() throws IOException {
            long cursor = 0;
            for (MemoryBlock block : image.blocks()) {
                feed(cursor, block.payloadOffset(), fileCrc);
                checkBlock(block);
                cursor = block.payloadOffset() + block.storedLength();
            }
            feed(cursor, image.trailer().offset() + ImageFormat.TRAILER_CRC_OFFSET, fileCrc);
            int actual = (int) fileCrc.getValue();
            if (actual != image.trailer().fileCrc()) {
                problems.add("file checksum mismatch (trailer " + Hex.crc(image.trailer().fileCrc())
                        + ", contents " + Hex.crc(actual) + ")");
            }
        }

        private void checkBlock(MemoryBlock block) throws IOException {
            long start = block.payloadOffset();
            long end = start + block.storedLength();
            boolean decode = deep && block.rawLength() <= DECODE_LIMIT;
            int actual;
            byte[] payload = null;
            if (decode) {
                payload = readFully(start, (int) block.storedLength());
                actual = BlockDecoder.crc(payload);
            } else {
                CRC32C crc = new CRC32C();
                feed(start, end, crc);
                actual = (int) crc.getValue();
            }
            blocksChecked++;
            if (actual != block.crc()) {
                problems.add(BlockDecoder.checksumMismatch(image.path().toString(), block, actual).problem());
                return;
            }
            if (decode) {
                try {
                    decoder.decodeChecked(block, payload);
                } catch (InvalidImageException e) {
                    problems.add(e.problem());
                }
            }
        }

        private void feed(long from, long to, CRC32C crc) throws IOException {
            channel.position(from);
            long left = to - from;
            while (left > 0) {
                buffer.clear();
                buffer.limit((int) Math.min(CHUNK, left));
                int read = channel.read(buffer);
                if (read < 0) {
                    throw truncated(to - left);
                }
                buffer.flip();
                crc.update(buffer);
                left -= read;
            }
        }

        private byte[] readFully(long from, int length) throws IOException {
            ByteBuffer bytes = ByteBuffer.allocate(length);
            channel.position(from);
            while (bytes.hasRemaining()) {
                if (channel.read(bytes) < 0) {
                    throw truncated(from + bytes.position());
                }
            }
            return bytes.array();
        }

        private InvalidImageException truncated(long offset) {
            return new InvalidImageException(image.path().toString(), "truncated at offset " + offset
                    + " while verifying checksums (the file shrank)");
        }
    }
}
