package io.stasis.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The REGIONS section. Regions must be page aligned, non-empty and in ascending,
 * non-overlapping order (as in the maps file): the block index relies on it.
 */
final class RegionsSectionReader {

    private RegionsSectionReader() {
    }

    static List<Region> read(ImageInput in, int pageSize) {
        long count = Integer.toUnsignedLong(in.u32());
        List<Region> regions = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            Region region = new Region(in.u64(), in.u64(), in.u32(), in.u32(), in.u64(), in.u64(), in.u32(),
                    in.u32(), in.str());
            check(in, i, region, regions.isEmpty() ? null : regions.get(regions.size() - 1), pageSize);
            regions.add(region);
        }
        return regions;
    }

    private static void check(ImageInput in, long index, Region region, Region previous, int pageSize) {
        String which = "region " + index + " (" + Hex.address(region.start()) + "-" + Hex.address(region.end()) + ")";
        if (Long.compareUnsigned(region.start(), region.end()) >= 0) {
            throw in.malformed(which + " is empty or ends before it starts");
        }
        if (region.start() % pageSize != 0 || region.end() % pageSize != 0) {
            throw in.malformed(which + " is not page aligned");
        }
        if (previous != null && Long.compareUnsigned(region.start(), previous.end()) < 0) {
            throw in.malformed(which + " overlaps or precedes the region before it ("
                    + Hex.address(previous.start()) + "-" + Hex.address(previous.end()) + ")");
        }
    }
}
