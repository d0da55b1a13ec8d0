package io.stasis.image;

import io.stasis.api.text.ErrorText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Buffered little-endian reads over a channel, bounded by the part of the image being read.
 *
 * <p>Every read is checked against a bound before it happens, so a lying length or count
 * becomes an {@link InvalidImageException} naming the offset, never an EOF or index error:
 * past the end of the file it is "truncated", past the end of a section it is "malformed".
 * Skipping only moves the position, so payloads are seeked over, not read.
 */
final class ImageInput {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final SeekableByteChannel channel;
    private final String source;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    /** File offset of {@code buffer[0]}; the buffer holds {@code [bufferStart, bufferStart + limit)}. */
    private long bufferStart;
    private long position;

    private String context = "header";
    private long contextOffset;
    private long end;
    private boolean inSection;

    ImageInput(SeekableByteChannel channel, String source) throws IOException {
        this.channel = channel;
        this.source = source;
        this.size = channel.size();
        this.end = size;
        buffer.limit(0);
    }

    String source() {
        return source;
    }

    long size() {
        return size;
    }

    long position() {
        return position;
    }

    long remaining() {
        return end - position;
    }

    /** Reads what follows as {@code what} (e.g. "trailer"), bounded only by the end of the file. */
    void reading(String what) {
        this.context = what;
        this.contextOffset = position;
        this.end = size;
        this.inSection = false;
    }

    /** Reads a section's payload, which must end at {@code sectionEnd} (already checked against the file size). */
    void readingSection(String name, long sectionOffset, long sectionEnd) {
        this.context = name;
        this.contextOffset = sectionOffset;
        this.end = sectionEnd;
        this.inSection = true;
    }

    /** The section's records must fill it exactly: left-over bytes mean writer and reader disagree. */
    void expectSectionEnd() {
        if (position != end) {
            throw malformed((end - position) + " bytes left over after its last record");
        }
    }

    InvalidImageException invalid(String problem) {
        return new InvalidImageException(source, problem);
    }

    InvalidImageException truncated() {
        return invalid("truncated at offset " + size + " while reading " + context);
    }

    InvalidImageException malformed(String detail) {
        return invalid("malformed " + context + " section at offset " + contextOffset + ": " + detail);
    }

    int u8() {
        require(1);
        int value = buffer.get(index()) & 0xFF;
        position += 1;
        return value;
    }

    int u16() {
        require(2);
        int value = buffer.getShort(index()) & 0xFFFF;
        position += 2;
        return value;
    }

    /** An unsigned 32-bit field in an int; widen with {@link Integer#toUnsignedLong} where it is a size. */
    int u32() {
        require(4);
        int value = buffer.getInt(index());
        position += 4;
        return value;
    }

    long u64() {
        require(8);
        long value = buffer.getLong(index());
        position += 8;
        return value;
    }

    byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        checkBounds(length);
        int done = 0;
        while (done < length) {
            int chunk = Math.min(length - done, BUFFER_SIZE);
            fill(chunk);
            buffer.get(index(), bytes, done, chunk);
            position += chunk;
            done += chunk;
        }
        return bytes;
    }

    /** {@code u16 length} + UTF-8; undecodable bytes (a non-UTF-8 path) become U+FFFD, not an error. */
    String str() {
        int length = u16();
        return new String(bytes(length), StandardCharsets.UTF_8);
    }

    /** A fixed NUL-padded field such as a thread's comm. */
    String paddedString(int length) {
        byte[] bytes = bytes(length);
        int used = 0;
        while (used < length && bytes[used] != 0) {
            used++;
        }
        return new String(bytes, 0, used, StandardCharsets.UTF_8);
    }

    void skip(long length) {
        checkBounds(length);
        position += length;
    }

    private void require(int length) {
        checkBounds(length);
        fill(length);
    }

    private void checkBounds(long length) {
        if (length < 0 || length > end - position) {
            if (!inSection || end == size) {
                throw truncated();
            }
            throw malformed("field at offset " + position + " runs past the section's end at offset " + end);
        }
    }

    private int index() {
        return (int) (position - bufferStart);
    }

    /** Makes {@code [position, position + length)} available in the buffer; length ≤ BUFFER_SIZE. */
    private void fill(int length) {
        if (position >= bufferStart && position + length <= bufferStart + buffer.limit()) {
            return;
        }
        try {
            buffer.clear();
            channel.position(position);
            while (buffer.position() < length) {
                if (channel.read(buffer) < 0) {
                    // The file shrank since its size was taken: the same as a truncated image.
                    throw truncated();
                }
            }
            buffer.flip();
            bufferStart = position;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + ErrorText.of(e), e);
        }
    }
}
