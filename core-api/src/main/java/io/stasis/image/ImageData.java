package io.stasis.image;

import io.stasis.api.text.ErrorText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;

/** Reads the parts of an image that {@link ImageReader} leaves in the file: block payloads, FD data, plugin bytes. */
public final class ImageData implements AutoCloseable {

    /** Larger pieces do not fit a Java array; no valid image of version 1 comes near. */
    private static final long MAX_LOAD = Integer.MAX_VALUE - 16;

    private final Image image;
    private final SeekableByteChannel channel;
    private final BlockDecoder decoder;

    private ImageData(Image image, SeekableByteChannel channel) {
        this.image = image;
        this.channel = channel;
        this.decoder = new BlockDecoder(image.path().toString());
    }

    public static ImageData open(Image image) {
        try {
            return new ImageData(image, FileChannel.open(image.path(), StandardOpenOption.READ));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + image.path() + ": " + ErrorText.of(e), e);
        }
    }

    static ImageData over(Image image, SeekableByteChannel channel) {
        return new ImageData(image, channel);
    }

    /** The block's pages, decoded; checks the block's CRC and raw length first. */
    public byte[] decode(MemoryBlock block) {
        return decoder.decode(block, read(block.payloadOffset(), block.storedLength(), block.describe()));
    }

    /** The payload as stored (compressed for LZ4 blocks), unchecked. */
    public byte[] payload(MemoryBlock block) {
        return read(block.payloadOffset(), block.storedLength(), block.describe());
    }

    public byte[] fdData(FdRecord fd) {
        return read(fd.dataOffset(), fd.dataLength(), "data of fd " + fd.fd());
    }

    public byte[] pluginData(PluginSection section) {
        return read(section.dataOffset(), section.dataLength(), "section of plugin " + section.pluginId());
    }

    private byte[] read(long offset, long length, String what) {
        if (length > MAX_LOAD) {
            throw new InvalidImageException(image.path().toString(), what + " is too large to load (" + length
                    + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        try {
            channel.position(offset);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new InvalidImageException(image.path().toString(), "truncated at offset "
                            + (offset + buffer.position()) + " while reading " + what);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + image.path() + ": " + ErrorText.of(e), e);
        }
        return buffer.array();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
