package io.stasis.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The MEMORY section's block headers up to END. Payloads are skipped by their stored
 * length, so indexing a multi-GiB image reads 32 bytes per block.
 */
final class MemoryIndexReader {

    private MemoryIndexReader() {
    }

    static List<MemoryBlock> read(ImageInput in, List<Region> regions, int pageSize) {
        List<MemoryBlock> blocks = new ArrayList<>();
        while (true) {
            int index = blocks.size();
            long offset = in.position();
            in.reading("block " + index);
            int magic = in.u32();
            if (magic != ImageFormat.BLOCK_MAGIC) {
                throw in.invalid("block " + index + " at offset " + offset + ": bad magic " + Hex.crc(magic)
                        + " (expected BLK1)");
            }
            int encoding = in.u16();
            in.u16();
            long address = in.u64();
            long rawLength = Integer.toUnsignedLong(in.u32());
            long storedLength = Integer.toUnsignedLong(in.u32());
            int crc = in.u32();
            in.u32();
            if (encoding == ImageFormat.ENCODING_END) {
                if (address != 0 || rawLength != 0 || storedLength != 0 || crc != 0) {
                    throw in.invalid("END block at offset " + offset + " has non-zero fields");
                }
                break;
            }
            String which = "block " + index + " at " + Hex.address(address) + " (offset " + offset + ")";
            BlockEncoding blockEncoding = switch (encoding) {
                case ImageFormat.ENCODING_RAW -> BlockEncoding.RAW;
                case ImageFormat.ENCODING_LZ4 -> BlockEncoding.LZ4;
                default -> throw in.invalid(which + ": unknown encoding " + encoding);
            };
            checkLengths(in, which, blockEncoding, address, rawLength, storedLength, pageSize);
            int regionIndex = regionOf(in, which, regions, address, rawLength);
            in.skip(storedLength);
            blocks.add(new MemoryBlock(index, offset, blockEncoding, address, rawLength, storedLength, crc,
                    regionIndex));
        }
        checkNoOverlap(in, blocks);
        return blocks;
    }

    private static void checkLengths(ImageInput in, String which, BlockEncoding encoding, long address,
            long rawLength, long storedLength, int pageSize) {
        if (address % pageSize != 0) {
            throw in.invalid(which + ": address is not page aligned");
        }
        if (rawLength == 0 || rawLength % pageSize != 0) {
            throw in.invalid(which + ": raw length " + rawLength + " is not a positive multiple of the page size");
        }
        if (encoding == BlockEncoding.RAW && storedLength != rawLength) {
            throw in.invalid(which + ": raw block stores " + storedLength + " bytes for " + rawLength);
        }
        if (encoding == BlockEncoding.LZ4 && (storedLength == 0 || storedLength > lz4Bound(rawLength))) {
            throw in.invalid(which + ": LZ4 block of " + rawLength + " bytes cannot store " + storedLength);
        }
    }

    /** LZ4_COMPRESSBOUND: the most a block of {@code rawLength} bytes can take compressed. */
    private static long lz4Bound(long rawLength) {
        return rawLength + rawLength / 255 + 16;
    }

    /** Regions are sorted and disjoint (checked when read), so a binary search finds the only candidate. */
    private static int regionOf(ImageInput in, String which, List<Region> regions, long address, long rawLength) {
        int low = 0;
        int high = regions.size() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(regions.get(middle).start(), address) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (found < 0 || !regions.get(found).contains(address, rawLength)) {
            throw in.invalid(which + ": its " + rawLength / ImageFormat.PAGE_SIZE
                    + " pages are not inside one region");
        }
        Region region = regions.get(found);
        if (!region.has(Region.FLAG_HAS_DATA)) {
            throw in.invalid(which + ": region " + Hex.address(region.start()) + "-" + Hex.address(region.end())
                    + " is not marked as having data");
        }
        return found;
    }

    private static void checkNoOverlap(ImageInput in, List<MemoryBlock> blocks) {
        List<MemoryBlock> byAddress = new ArrayList<>(blocks);
        byAddress.sort(Comparator.comparing(MemoryBlock::address, Long::compareUnsigned));
        for (int i = 1; i < byAddress.size(); i++) {
            MemoryBlock previous = byAddress.get(i - 1);
            MemoryBlock next = byAddress.get(i);
            if (Long.compareUnsigned(next.address(), previous.endAddress()) < 0) {
                throw in.invalid("blocks " + previous.index() + " and " + next.index() + " both hold page "
                        + Hex.address(next.address()));
            }
        }
    }
}
