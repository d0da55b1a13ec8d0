package io.stasis.image;

import java.util.ArrayList;
import java.util.List;

/**
 * How much of a region the image stores. Pages in no block are zero at restart
 * (never touched, or all zero), so {@code zeroPages = totalPages - storedPages}.
 */
public record RegionUsage(Region region, long totalPages, long storedPages) {

    public long zeroPages() {
        return totalPages - storedPages;
    }

    static List<RegionUsage> of(Image image) {
        int pageSize = image.header().pageSize();
        long[] storedBytes = new long[image.regions().size()];
        for (MemoryBlock block : image.blocks()) {
            storedBytes[block.regionIndex()] += block.rawLength();
        }
        List<RegionUsage> usage = new ArrayList<>();
        for (int i = 0; i < storedBytes.length; i++) {
            Region region = image.regions().get(i);
            usage.add(new RegionUsage(region, Long.divideUnsigned(region.size(), pageSize), storedBytes[i] / pageSize));
        }
        return usage;
    }
}
