package io.stasis.image;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/** A growable in-memory channel: writing past the end fills the gap with zeros, like a sparse file. */
public final class MemoryChannel implements SeekableByteChannel {

    private byte[] data;
    private int size;
    private long position;
    private boolean open = true;

    public MemoryChannel() {
        this(new byte[0]);
    }

    public MemoryChannel(byte[] contents) {
        this.data = contents.clone();
        this.size = contents.length;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    @Override
    public int read(ByteBuffer dst) throws ClosedChannelException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        int count = (int) Math.min(dst.remaining(), size - position);
        dst.put(data, (int) position, count);
        position += count;
        return count;
    }

    @Override
    public int write(ByteBuffer src) throws ClosedChannelException {
        ensureOpen();
        int count = src.remaining();
        long end = position + count;
        if (end > data.length) {
            data = Arrays.copyOf(data, (int) Math.max(end, data.length * 2L));
        }
        src.get(data, (int) position, count);
        position = end;
        size = (int) Math.max(size, end);
        return count;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        size = (int) Math.min(size, newSize);
        return this;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
