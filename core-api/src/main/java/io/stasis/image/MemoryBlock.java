package io.stasis.image;

/**
 * One entry of the block index of the MEMORY section (the END block is not listed).
 *
 * @param index       position in the file, 0 for the first block
 * @param offset      file offset of the 32-byte block header
 * @param regionIndex index in {@link Image#regions()} of the region holding the pages
 */
public record MemoryBlock(
        int index,
        long offset,
        BlockEncoding encoding,
        long address,
        long rawLength,
        long storedLength,
        int crc,
        int regionIndex) {

    public long payloadOffset() {
        return offset + ImageFormat.BLOCK_HEADER_SIZE;
    }

    public long endAddress() {
        return address + rawLength;
    }

    /** How messages name a block: {@code "block 17 at 0x7f0000001000"}. */
    public String describe() {
        return "block " + index + " at " + Hex.address(address);
    }
}
