package io.stasis.image;

import io.stasis.api.text.ErrorText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses an image's structure (docs/image-format.md) without reading memory payloads.
 * Checksums are {@link ImageVerifier}'s job: a structurally sound image with a bad
 * checksum still opens, so {@code inspect} can show what it holds and what is wrong.
 */
public final class ImageReader {

    private ImageReader() {
    }

    /**
     * @throws InvalidImageException the file is not a well-formed image
     * @throws UncheckedIOException  the file cannot be read
     */
    public static Image open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(channel, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + ErrorText.of(e), e);
        }
    }

    static Image read(SeekableByteChannel channel, Path path) throws IOException {
        ImageInput in = new ImageInput(channel, path.toString());
        ImageHeader header = HeaderReader.read(in);
        int pageSize = header.pageSize();
        SectionOrder order = new SectionOrder(in);
        List<SectionInfo> sections = new ArrayList<>();
        ProcessInfo process = null;
        List<ThreadRecord> threads = List.of();
        List<Region> regions = List.of();
        List<FdRecord> fds = List.of();
        List<SignalAction> signals = List.of();
        List<ChildRecord> children = List.of();
        List<PluginSection> plugins = new ArrayList<>();
        while (true) {
            long offset = in.position();
            in.reading("section header");
            int kindCode = in.u32();
            int flags = in.u32();
            long length = in.u64();
            Optional<SectionKind> kind = SectionKind.of(kindCode);
            kind.ifPresent(known -> order.accept(known, offset));
            if (kind.isPresent() && kind.get() == SectionKind.MEMORY) {
                if (length != ImageFormat.MEMORY_LENGTH) {
                    throw in.invalid("MEMORY section at offset " + offset + " has length "
                            + Long.toUnsignedString(length) + ", expected 0xffffffffffffffff");
                }
                List<MemoryBlock> blocks = MemoryIndexReader.read(in, regions, pageSize);
                long payload = offset + ImageFormat.SECTION_HEADER_SIZE;
                sections.add(new SectionInfo(kindCode, flags, offset, in.position() - payload));
                Trailer trailer = TrailerReader.read(in, sections.size(), blocks.size());
                return new Image(path, header, sections, process, threads, regions, fds, signals, children, plugins,
                        blocks, trailer);
            }
            String name = SectionKind.nameOf(kindCode);
            long payload = in.position();
            if (Long.compareUnsigned(length, in.size() - payload) > 0) {
                in.reading(name);
                throw in.truncated();
            }
            in.readingSection(name, offset, payload + length);
            if (kind.isEmpty()) {
                in.skip(length);
            } else {
                switch (kind.get()) {
                    case PROCESS -> process = ProcessSectionReader.read(in);
                    case THREADS -> threads = ThreadsSectionReader.read(in);
                    case REGIONS -> regions = RegionsSectionReader.read(in, pageSize);
                    case FDS -> fds = FdsSectionReader.read(in);
                    case SIGNALS -> signals = SignalsSectionReader.read(in);
                    case CHILDREN -> children = ChildrenSectionReader.read(in);
                    case PLUGIN -> plugins.add(PluginSectionReader.read(in));
                    default -> throw new IllegalStateException("MEMORY is handled above");
                }
            }
            in.expectSectionEnd();
            sections.add(new SectionInfo(kindCode, flags, offset, length));
        }
    }
}
