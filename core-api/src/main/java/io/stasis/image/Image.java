package io.stasis.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything in an image except memory payloads, FD data and plugin bytes, which stay in
 * the file and are read on demand through {@link ImageData}.
 *
 * @param sections every section in file order, including kinds this reader does not know
 * @param blocks   the MEMORY block index in file order, END excluded
 */
public record Image(
        Path path,
        ImageHeader header,
        List<SectionInfo> sections,
        ProcessInfo process,
        List<ThreadRecord> threads,
        List<Region> regions,
        List<FdRecord> fds,
        List<SignalAction> signals,
        List<ChildRecord> children,
        List<PluginSection> pluginSections,
        List<MemoryBlock> blocks,
        Trailer trailer) {

    public Image {
        sections = List.copyOf(sections);
        threads = List.copyOf(threads);
        regions = List.copyOf(regions);
        fds = List.copyOf(fds);
        signals = List.copyOf(signals);
        children = List.copyOf(children);
        pluginSections = List.copyOf(pluginSections);
        blocks = List.copyOf(blocks);
    }

    /** Per region: total, stored and zero pages. */
    public List<RegionUsage> regionUsage() {
        return RegionUsage.of(this);
    }

    /** Bytes of memory the blocks hold once decoded. */
    public long rawBytes() {
        return blocks.stream().mapToLong(MemoryBlock::rawLength).sum();
    }

    /** Bytes the block payloads take in the file. */
    public long storedBytes() {
        return blocks.stream().mapToLong(MemoryBlock::storedLength).sum();
    }
}
