package io.stasis.image;

import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/** Checks a block's payload against its header and decodes it to {@code raw_length} bytes. */
final class BlockDecoder {

    /** The pure-Java decoder that bounds-checks its input: payloads are untrusted. */
    private final LZ4SafeDecompressor lz4 = LZ4Factory.safeInstance().safeDecompressor();
    /** Larger blocks do not fit a Java array. */
    private static final long MAX_DECODED = Integer.MAX_VALUE - 16;

    private final String source;

    BlockDecoder(String source) {
        this.source = source;
    }

    static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }

    /** @throws InvalidImageException when the checksum or the decoded length is wrong */
    byte[] decode(MemoryBlock block, byte[] payload) {
        int actual = crc(payload);
        if (actual != block.crc()) {
            throw checksumMismatch(source, block, actual);
        }
        return decodeChecked(block, payload);
    }

    /** Decodes a payload whose checksum is already known to match. */
    byte[] decodeChecked(MemoryBlock block, byte[] payload) {
        if (block.encoding() == BlockEncoding.RAW) {
            return payload;
        }
        if (block.rawLength() > MAX_DECODED) {
            throw new InvalidImageException(source, block.describe() + ": raw length " + block.rawLength()
                    + " is too large to decode in memory");
        }
        byte[] raw = new byte[(int) block.rawLength()];
        int decoded;
        try {
            decoded = lz4.decompress(payload, 0, payload.length, raw, 0, raw.length);
        } catch (RuntimeException e) {
            // LZ4Exception, or anything else the library throws on hostile input.
            throw new InvalidImageException(source, block.describe() + ": LZ4 data does not decode ("
                    + e.getMessage() + ")");
        }
        if (decoded != raw.length) {
            throw new InvalidImageException(source, block.describe() + ": LZ4 data decodes to " + decoded
                    + " bytes, raw length is " + raw.length);
        }
        return raw;
    }

    static InvalidImageException checksumMismatch(String source, MemoryBlock block, int actual) {
        return new InvalidImageException(source, block.describe() + " (offset " + block.offset()
                + "): checksum mismatch (header " + Hex.crc(block.crc()) + ", payload " + Hex.crc(actual) + ")");
    }
}
