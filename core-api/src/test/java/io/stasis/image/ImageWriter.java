package io.stasis.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Factory;

/**
 * A Java writer of docs/image-format.md, for tests only: builds small synthetic images
 * (the real writer is libstasis's). Exported to other modules in core-api's test-jar.
 *
 * <pre>{@code
 * Path image = ImageWriter.sample().generation(2).write(dir.resolve("ckpt_counter_1.stasis"));
 * }</pre>
 */
public final class ImageWriter {

    /** A section as written before MEMORY; {@link #editSections} may reorder, drop or add them. */
    public record RawSection(int kind, int flags, byte[] payload) {
    }

    /**
     * A memory block: {@code pages} to encode, or (when null) {@code stored} bytes written as
     * they are with a raw length of {@code rawLength}, or (both null) a sparse run of zeros.
     */
    private record Block(long address, BlockEncoding encoding, byte[] pages, byte[] stored, long rawLength) {
    }

    private record Fd(FdRecord record, byte[] data) {
    }

    private record Plugin(String id, int version, byte[] data) {
    }

    private static final int ZERO_CHUNK = 1 << 20;

    private int version = ImageFormat.VERSION;
    private int pageSize = ImageFormat.PAGE_SIZE;
    private int machine = ImageFormat.MACHINE_X86_64;
    private int generation = 1;
    private long creationTimeMs = 1_764_000_000_000L;
    private ProcessInfo process = defaultProcess();
    private final List<ThreadRecord> threads = new ArrayList<>();
    private final List<Region> regions = new ArrayList<>();
    private final List<Fd> fds = new ArrayList<>();
    private final List<SignalAction> signals = new ArrayList<>();
    private final List<ChildRecord> children = new ArrayList<>();
    private final List<Plugin> plugins = new ArrayList<>();
    private final List<RawSection> unknownSections = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private UnaryOperator<List<RawSection>> sectionEdit = UnaryOperator.identity();

    private ImageWriter() {
    }

    /** An image with a default PROCESS section and nothing else. */
    public static ImageWriter create() {
        return new ImageWriter();
    }

    /**
     * A small image like a real one: two threads, text/heap/anonymous/shared/vvar/vdso/stack
     * regions, raw and LZ4 blocks, five descriptors (one pipe with drained data), signal
     * handlers and two plugin sections. Always the same bytes.
     */
    public static ImageWriter sample() {
        Random random = new Random(42);
        ImageWriter writer = create().generation(3);
        writer.thread(thread(4242, ThreadRecord.FLAG_MAIN, "counter"))
                .thread(thread(4243, ThreadRecord.FLAG_CHECKPOINT_THREAD, "stasis:ckpt"));
        long text = 0x5555_5555_4000L;
        long heap = 0x5555_5556_0000L;
        long anon = 0x7f00_0000_0000L;
        long shared = 0x7f00_0020_0000L;
        long vvar = 0x7fff_f7fc_1000L;
        long vdso = 0x7fff_f7fc_5000L;
        long stack = 0x7fff_fffd_e000L;
        writer.region(new Region(text, text + 0x2000, 5, Region.FLAG_FILE | Region.FLAG_HAS_DATA, 0, 1_234_567, 8,
                        1, "/usr/local/bin/counter"))
                .region(new Region(heap, heap + 0x10000, 3, Region.FLAG_HEAP | Region.FLAG_HAS_DATA, 0, 0, 0, 0,
                        "[heap]"))
                .region(new Region(anon, anon + 0x100000, 3, Region.FLAG_HAS_DATA, 0, 0, 0, 0, ""))
                .region(new Region(shared, shared + 0x1000, 3,
                        Region.FLAG_SHARED | Region.FLAG_FILE | Region.FLAG_REMAP_FILE, 0x3000, 99, 8, 1,
                        "/home/user/shared.dat"))
                .region(new Region(vvar, vvar + 0x4000, 1, Region.FLAG_VVAR, 0, 0, 0, 0, "[vvar]"))
                .region(new Region(vdso, vdso + 0x2000, 5, Region.FLAG_VDSO, 0, 0x1234_5678L, 0, 0, "[vdso]"))
                .region(new Region(stack, stack + 0x21000, 3, Region.FLAG_STACK | Region.FLAG_HAS_DATA, 0, 0, 0,
                        0, "[stack]"));
        writer.rawBlock(text, randomPages(random, 1))
                .lz4Block(heap, textPages(3))
                .rawBlock(heap + 0x5000, randomPages(random, 1))
                .lz4Block(anon + 0x10000, textPages(2))
                .lz4Block(stack + 0x1f000, randomPages(random, 2));
        int notShared = FdRecord.NOT_SHARED;
        long pipe1 = (1L << 63) | 1234, pipe2 = (1L << 63) | 5678, tty = (100L << 24) | 0;
        writer.fd(new FdRecord(0, FdKind.TERMINAL.code(), 2, 0, 0, 3, 0x8800, 0620, notShared, tty, "/dev/pts/0", 0,
                        0), new byte[0])
                .fd(new FdRecord(1, FdKind.PIPE_WRITE.code(), 1, 0, 0, 1234, 0xd, 010600, notShared, pipe1,
                        "pipe:[1234]", 0, 0), new byte[0])
                .fd(new FdRecord(2, FdKind.TERMINAL.code(), 2, 0, 0, 3, 0x8800, 0620, 0, tty, "/dev/pts/0", 0, 0),
                        new byte[0])
                .fd(new FdRecord(3, FdKind.REGULAR.code(), 02001, 1, 1234, 777, 0x801, 0100644, notShared,
                        (4242L << 24) | 3, "/home/user/out.txt", 0, 0), new byte[0])
                .fd(new FdRecord(4, FdKind.PIPE_READ.code(), 0, 1, 0, 5678, 0xd, 010600, notShared, pipe2,
                        "pipe:[5678]", 0, 0), "hello pipe\n".getBytes(StandardCharsets.UTF_8));
        writer.child(new ChildRecord(4300, ChildRecord.RUNNING, 0)).child(new ChildRecord(4301, ChildRecord.ZOMBIE,
                3 << 8));
        for (int signo = 1; signo <= 64; signo++) {
            long handler = switch (signo) {
                case 2 -> 0x5555_5555_5123L;
                case 13 -> SignalAction.SIG_IGN;
                case 12 -> 0x7fff_f7a0_0100L;
                default -> SignalAction.SIG_DFL;
            };
            long restorer = handler > 1 ? 0x7fff_f7a0_0000L : 0;
            writer.signal(new SignalAction(signo, handler > 1 ? 0x0400_0004 : 0, handler, restorer, 0));
        }
        writer.plugin("pid-virt", 1, new byte[16])
                .plugin("sockets", 2, "listen 0.0.0.0:8080\n".getBytes(StandardCharsets.UTF_8));
        return writer;
    }

    public static ProcessInfo defaultProcess() {
        return new ProcessInfo("counter", "/usr/local/bin/counter", "/home/user", "node1", "1a2b3c4d-4242-5f5e100",
                "c0ffee00c0ffee00", 4242, 4200, 4242, 4200, 4242, 022, 1000, 1000, 1, 2,
                new MemoryLayout(0x5555_5555_4000L, 0x5555_5555_5f00L, 0x5555_5555_7000L, 0x5555_5555_8000L,
                        0x5555_5556_0000L, 0x5555_5557_0000L, 0x7fff_ffff_e000L, 0x7fff_ffff_e100L,
                        0x7fff_ffff_e110L, 0x7fff_ffff_e110L, 0x7fff_ffff_eff0L),
                0x7fff_f7a1_0000L, 1_764_000_000_500L,
                List.of(new ResourceLimit(3, 8 << 20, -1), new ResourceLimit(7, 1024, 524_288)),
                List.of(new IntervalTimer(0, 0, 0), new IntervalTimer(1, 0, 0), new IntervalTimer(2, 0, 0)),
                List.of("pid-virt", "sockets"), "counter");
    }

    public static ThreadRecord thread(int tid, int flags, String name) {
        long base = 0x7fff_f700_0000L + (tid & 0xf) * 0x10_0000L;
        return new ThreadRecord(tid, flags, base + 0x640, base + 0x910, base + 0x920, 24, base + 0xfe0, 32,
                0x5305_3053, new ThreadContext(1, 2, 3, 4, 5, 6, base - 0x1000, 0x7fff_f7a0_4321L), 0, 0, 2, name);
    }

    /** {@code count} pages that LZ4 compresses well. */
    public static byte[] textPages(int count) {
        byte[] pages = new byte[count * ImageFormat.PAGE_SIZE];
        byte[] line = "checkpoint me, restart me; ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < pages.length; i++) {
            pages[i] = line[i % line.length];
        }
        return pages;
    }

    /** {@code count} pages that do not compress. */
    public static byte[] randomPages(Random random, int count) {
        byte[] pages = new byte[count * ImageFormat.PAGE_SIZE];
        random.nextBytes(pages);
        return pages;
    }

    public ImageWriter version(int version) {
        this.version = version;
        return this;
    }

    public ImageWriter pageSize(int pageSize) {
        this.pageSize = pageSize;
        return this;
    }

    public ImageWriter machine(int machine) {
        this.machine = machine;
        return this;
    }

    public ImageWriter generation(int generation) {
        this.generation = generation;
        return this;
    }

    public ImageWriter creationTimeMs(long creationTimeMs) {
        this.creationTimeMs = creationTimeMs;
        return this;
    }

    public ImageWriter process(ProcessInfo process) {
        this.process = process;
        return this;
    }

    public ImageWriter thread(ThreadRecord thread) {
        threads.add(thread);
        return this;
    }

    public ImageWriter region(Region region) {
        regions.add(region);
        return this;
    }

    /** The record's {@code dataOffset} and {@code dataLength} are ignored: {@code data} is written. */
    public ImageWriter fd(FdRecord fd, byte[] data) {
        fds.add(new Fd(fd, data.clone()));
        return this;
    }

    public ImageWriter child(ChildRecord child) {
        children.add(child);
        return this;
    }

    public ImageWriter signal(SignalAction signal) {
        signals.add(signal);
        return this;
    }

    public ImageWriter plugin(String id, int version, byte[] data) {
        plugins.add(new Plugin(id, version, data.clone()));
        return this;
    }

    /** A section of a kind readers do not know, written just before MEMORY. */
    public ImageWriter unknownSection(int kind, byte[] payload) {
        unknownSections.add(new RawSection(kind, 0, payload.clone()));
        return this;
    }

    /** Rewrites the list of sections before MEMORY (to reorder, drop, duplicate them). */
    public ImageWriter editSections(UnaryOperator<List<RawSection>> edit) {
        this.sectionEdit = edit;
        return this;
    }

    public ImageWriter rawBlock(long address, byte[] pages) {
        blocks.add(new Block(address, BlockEncoding.RAW, pages.clone(), null, pages.length));
        return this;
    }

    public ImageWriter lz4Block(long address, byte[] pages) {
        blocks.add(new Block(address, BlockEncoding.LZ4, pages.clone(), null, pages.length));
        return this;
    }

    /** A raw block of zeros that {@link #write} leaves as a hole: multi-GiB images cost no disk. */
    public ImageWriter sparseZeroBlock(long address, long length) {
        blocks.add(new Block(address, BlockEncoding.RAW, null, null, length));
        return this;
    }

    /** A block whose payload is {@code stored} as given, whatever it decodes to: for broken blocks. */
    public ImageWriter storedBlock(long address, BlockEncoding encoding, long rawLength, byte[] stored) {
        blocks.add(new Block(address, encoding, null, stored.clone(), rawLength));
        return this;
    }

    public ProcessInfo process() {
        return process;
    }

    public List<ThreadRecord> threads() {
        return List.copyOf(threads);
    }

    public List<Region> regions() {
        return List.copyOf(regions);
    }

    public List<SignalAction> signals() {
        return List.copyOf(signals);
    }

    /** The descriptors as given, with {@code dataOffset} 0 and {@code dataLength} from their data. */
    public List<FdRecord> fds() {
        return fds.stream().map(fd -> withData(fd.record(), 0, fd.data().length)).toList();
    }

    public byte[] fdData(int index) {
        return fds.get(index).data().clone();
    }

    public byte[] pluginData(int index) {
        return plugins.get(index).data().clone();
    }

    /** The decoded contents of block {@code index} (for sparse blocks, zeros). */
    public byte[] blockPages(int index) {
        Block block = blocks.get(index);
        return block.pages() == null ? new byte[Math.toIntExact(block.rawLength())] : block.pages().clone();
    }

    public int blockCount() {
        return blocks.size();
    }

    public byte[] toBytes() {
        MemoryChannel channel = new MemoryChannel();
        try {
            writeTo(channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return channel.toByteArray();
    }

    public Path write(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeTo(channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    private void writeTo(SeekableByteChannel channel) throws IOException {
        Output out = new Output(channel);
        out.covered(new LittleEndianBytes().bytes(ImageFormat.MAGIC).u32(version).u32(ImageFormat.HEADER_SIZE)
                .u32(pageSize).u32(machine).u64(creationTimeMs).u32(generation).u32(0).bytes(new byte[24])
                .toByteArray());
        List<RawSection> sections = sectionEdit.apply(new ArrayList<>(sectionsBeforeMemory()));
        for (RawSection section : sections) {
            out.covered(new LittleEndianBytes().u32(section.kind()).u32(section.flags()).u64(section.payload().length)
                    .bytes(section.payload()).toByteArray());
        }
        out.covered(new LittleEndianBytes().u32(SectionKind.MEMORY.code()).u32(0).u64(ImageFormat.MEMORY_LENGTH)
                .toByteArray());
        for (Block block : blocks) {
            writeBlock(out, block);
        }
        out.covered(new LittleEndianBytes().u32(ImageFormat.BLOCK_MAGIC).u16(ImageFormat.ENCODING_END).u16(0)
                .u64(0).u32(0).u32(0).u32(0).u32(0).toByteArray());
        long fileLength = channel.position() + ImageFormat.TRAILER_SIZE;
        out.covered(new LittleEndianBytes().bytes(ImageFormat.TRAILER_MAGIC).u64(fileLength)
                .u32(sections.size() + 1).u32(blocks.size()).toByteArray());
        out.uncovered(new LittleEndianBytes().u32(out.fileCrc()).u32(0).toByteArray());
    }

    private void writeBlock(Output out, Block block) throws IOException {
        byte[] payload;
        if (block.stored() != null) {
            payload = block.stored();
        } else if (block.pages() == null) {
            payload = null;
        } else if (block.encoding() == BlockEncoding.LZ4) {
            payload = LZ4Factory.safeInstance().fastCompressor().compress(block.pages());
        } else {
            payload = block.pages();
        }
        int crc = payload == null ? zeroCrc(block.rawLength()) : BlockDecoder.crc(payload);
        long stored = payload == null ? block.rawLength() : payload.length;
        int encoding = block.encoding() == BlockEncoding.LZ4 ? ImageFormat.ENCODING_LZ4 : ImageFormat.ENCODING_RAW;
        out.covered(new LittleEndianBytes().u32(ImageFormat.BLOCK_MAGIC).u16(encoding).u16(0).u64(block.address())
                .u32((int) block.rawLength()).u32((int) stored).u32(crc).u32(0).toByteArray());
        if (payload == null) {
            out.hole(stored);
        } else {
            out.uncovered(payload);
        }
    }

    private List<RawSection> sectionsBeforeMemory() {
        List<RawSection> sections = new ArrayList<>();
        sections.add(section(SectionKind.PROCESS, processBytes()));
        LittleEndianBytes threadBytes = new LittleEndianBytes().u32(threads.size());
        threads.forEach(t -> threadBytes(threadBytes, t));
        sections.add(section(SectionKind.THREADS, threadBytes.toByteArray()));
        LittleEndianBytes regionBytes = new LittleEndianBytes().u32(regions.size());
        for (Region r : regions) {
            regionBytes.u64(r.start()).u64(r.end()).u32(r.prot()).u32(r.flags()).u64(r.fileOffset()).u64(r.inode())
                    .u32(r.devMajor()).u32(r.devMinor()).str(r.name());
        }
        sections.add(section(SectionKind.REGIONS, regionBytes.toByteArray()));
        LittleEndianBytes fdBytes = new LittleEndianBytes().u32(fds.size());
        for (Fd fd : fds) {
            FdRecord f = fd.record();
            fdBytes.u32(f.fd()).u32(f.kind()).u32(f.openFlags()).u32(f.fdFlags()).u64(f.offset()).u64(f.inode())
                    .u64(f.device()).u32(f.mode()).u32(f.sameAs()).u64(f.shareId()).str(f.path()).u32(fd.data().length).bytes(fd.data());
        }
        sections.add(section(SectionKind.FDS, fdBytes.toByteArray()));
        LittleEndianBytes signalBytes = new LittleEndianBytes().u32(signals.size());
        for (SignalAction s : signals) {
            signalBytes.u32(s.signo()).u32(s.flags()).u64(s.handler()).u64(s.restorer()).u64(s.mask());
        }
        sections.add(section(SectionKind.SIGNALS, signalBytes.toByteArray()));
        if (!children.isEmpty()) {
            LittleEndianBytes childBytes = new LittleEndianBytes().u32(children.size());
            children.forEach(c -> childBytes.u32(c.pid()).u32(c.state()).u32(c.waitStatus()));
            sections.add(section(SectionKind.CHILDREN, childBytes.toByteArray()));
        }
        for (Plugin plugin : plugins) {
            sections.add(section(SectionKind.PLUGIN, new LittleEndianBytes().str(plugin.id()).u32(plugin.version())
                    .bytes(plugin.data()).toByteArray()));
        }
        sections.addAll(unknownSections);
        return sections;
    }

    private byte[] processBytes() {
        ProcessInfo p = process;
        MemoryLayout m = p.memoryLayout();
        LittleEndianBytes bytes = new LittleEndianBytes().str(p.program()).str(p.exe()).str(p.cwd()).str(p.hostname())
                .str(p.uniqueId()).str(p.computationId()).u32(p.pid()).u32(p.ppid()).u32(p.pgid()).u32(p.sid())
                .u32(p.realPid()).u32(p.umask()).u32(p.uid()).u32(p.gid()).u32(p.computationSize())
                .u32(p.threadCount()).u64(m.startCode()).u64(m.endCode()).u64(m.startData()).u64(m.endData())
                .u64(m.startBrk()).u64(m.brk()).u64(m.startStack()).u64(m.argStart()).u64(m.argEnd())
                .u64(m.envStart()).u64(m.envEnd()).u64(p.restartMailbox()).u64(p.checkpointTimeMs());
        bytes.u32(p.resourceLimits().size());
        p.resourceLimits().forEach(l -> bytes.u32(l.resource()).u64(l.soft()).u64(l.hard()));
        bytes.u32(p.intervalTimers().size());
        p.intervalTimers().forEach(t -> bytes.u64(t.intervalUs()).u64(t.valueUs()));
        bytes.u16(p.plugins().size());
        p.plugins().forEach(bytes::str);
        return bytes.str(p.comm()).toByteArray();
    }

    private static void threadBytes(LittleEndianBytes bytes, ThreadRecord t) {
        ThreadContext c = t.context();
        bytes.u32(t.tid()).u32(t.flags()).u64(t.fsBase()).u64(t.tidAddress()).u64(t.robustHead())
                .u64(t.robustLength()).u64(t.rseqAddress()).u32(t.rseqLength()).u32(t.rseqSignature())
                .u64(c.rbx()).u64(c.rbp()).u64(c.r12()).u64(c.r13()).u64(c.r14()).u64(c.r15()).u64(c.rsp())
                .u64(c.rip()).u64(t.altstackSp()).u64(t.altstackSize()).u32(t.altstackFlags()).u32(0)
                .padded(t.name(), 16).u64(0).u64(0);
    }

    private static RawSection section(SectionKind kind, byte[] payload) {
        return new RawSection(kind.code(), 0, payload);
    }

    private static FdRecord withData(FdRecord f, long offset, long length) {
        return new FdRecord(f.fd(), f.kind(), f.openFlags(), f.fdFlags(), f.offset(), f.inode(), f.device(),
                f.mode(), f.sameAs(), f.shareId(), f.path(), offset, length);
    }

    private static int zeroCrc(long length) {
        CRC32C crc = new CRC32C();
        byte[] zeros = new byte[ZERO_CHUNK];
        for (long left = length; left > 0; left -= ZERO_CHUNK) {
            crc.update(zeros, 0, (int) Math.min(left, ZERO_CHUNK));
        }
        return (int) crc.getValue();
    }

    /** Writes bytes in order, feeding the file CRC with all but block payloads. */
    private static final class Output {
        private final SeekableByteChannel channel;
        private final CRC32C fileCrc = new CRC32C();

        Output(SeekableByteChannel channel) {
            this.channel = channel;
        }

        void covered(byte[] bytes) throws IOException {
            fileCrc.update(bytes);
            uncovered(bytes);
        }

        void uncovered(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        void hole(long length) throws IOException {
            channel.position(channel.position() + length);
        }

        int fileCrc() {
            return (int) fileCrc.getValue();
        }
    }
}
