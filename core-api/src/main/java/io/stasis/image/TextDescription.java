package io.stasis.image;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code stasis inspect}'s human-readable listing of an image. */
final class TextDescription {

    private static final String INDENT = "  ";

    private final Image image;
    private final VerificationReport report;
    private final Map<PluginSection, List<String>> decoded;
    private final StringBuilder out = new StringBuilder();

    private TextDescription(Image image, VerificationReport report, Map<PluginSection, List<String>> decoded) {
        this.image = image;
        this.report = report;
        this.decoded = decoded;
    }

    static String of(Image image, VerificationReport report, Map<PluginSection, List<String>> decoded) {
        return new TextDescription(image, report, decoded).render();
    }

    private String render() {
        header();
        process();
        threads();
        regions();
        fds();
        signals();
        children();
        plugins();
        otherSections();
        return out.toString();
    }

    private void header() {
        ImageHeader header = image.header();
        out.append("Stasis image ").append(Printable.of(image.path().toString())).append('\n');
        pair("format", "version " + header.version() + ", page size " + header.pageSize() + ", x86-64");
        pair("generation", Integer.toUnsignedString(header.generation()));
        pair("created", header.creationTime().toString());
        pair("memory", image.blocks().size() + " blocks, " + image.rawBytes() + " bytes of pages stored in "
                + image.storedBytes() + " bytes");
        pair("checksums", report.summary());
    }

    private void process() {
        ProcessInfo p = image.process();
        out.append("\nProcess\n");
        pair("program", p.program());
        pair("exe", p.exe());
        pair("cwd", p.cwd());
        pair("host", p.hostname());
        pair("unique id", p.uniqueId());
        pair("computation", p.computationId() + " (" + Integer.toUnsignedString(p.computationSize())
                + " process" + (p.computationSize() == 1 ? "" : "es") + ")");
        pair("pid", Integer.toUnsignedString(p.pid()) + " (ppid " + Integer.toUnsignedString(p.ppid())
                + ", pgid " + Integer.toUnsignedString(p.pgid()) + ", sid " + Integer.toUnsignedString(p.sid())
                + ", kernel pid " + Integer.toUnsignedString(p.realPid()) + ")");
        pair("uid/gid", Integer.toUnsignedString(p.uid()) + "/" + Integer.toUnsignedString(p.gid())
                + ", umask " + String.format("%03o", p.umask()));
        pair("threads", Integer.toUnsignedString(p.threadCount()));
        pair("brk", Hex.address(p.memoryLayout().brk()) + " (heap from " + Hex.address(p.memoryLayout().startBrk())
                + ")");
        pair("checkpoint", Instant.ofEpochMilli(p.checkpointTimeMs()).toString());
        pair("plugins", p.plugins().isEmpty() ? "none" : String.join(", ", p.plugins()));
        pair("comm", p.comm());
        for (IntervalTimer timer : p.intervalTimers()) {
            if (timer.intervalUs() != 0 || timer.valueUs() != 0) {
                pair("itimer " + timer.name(), Long.toUnsignedString(timer.valueUs()) + " us, every "
                        + Long.toUnsignedString(timer.intervalUs()) + " us");
            }
        }
    }

    private void threads() {
        out.append("\nThreads (").append(image.threads().size()).append(")\n");
        TextTable table = new TextTable().right("TID").left("FLAGS").left("RIP").left("RSP").left("NAME");
        for (ThreadRecord t : image.threads()) {
            table.row(Integer.toUnsignedString(t.tid()), threadFlags(t), Hex.address(t.context().rip()),
                    Hex.address(t.context().rsp()), t.name());
        }
        table.appendTo(out, INDENT);
    }

    static String threadFlags(ThreadRecord thread) {
        if (thread.isMain() && thread.isCheckpointThread()) {
            return "main,ckpt";
        }
        if (thread.isMain()) {
            return "main";
        }
        return thread.isCheckpointThread() ? "ckpt" : "-";
    }

    private void regions() {
        List<RegionUsage> usage = image.regionUsage();
        long stored = usage.stream().mapToLong(RegionUsage::storedPages).sum();
        long zero = usage.stream().mapToLong(RegionUsage::zeroPages).sum();
        out.append("\nMemory regions (").append(usage.size()).append(", ").append(stored).append(" pages stored, ")
                .append(zero).append(" zero)\n");
        TextTable table = new TextTable().left("START").left("END").left("PERM").right("PAGES").right("STORED")
                .right("ZERO").left("FLAGS").left("NAME");
        for (RegionUsage u : usage) {
            Region r = u.region();
            table.row(Hex.address(r.start()), Hex.address(r.end()), r.permissions(), u.totalPages(), u.storedPages(),
                    u.zeroPages(), r.flagNames(), r.name());
        }
        table.appendTo(out, INDENT);
    }

    private void fds() {
        out.append("\nFile descriptors (").append(image.fds().size()).append(")\n");
        TextTable table = new TextTable().right("FD").left("KIND").left("FLAGS").right("OFFSET").right("DATA")
                .left("DUP OF").left("PATH");
        for (FdRecord fd : image.fds()) {
            table.row(Integer.toUnsignedString(fd.fd()), fd.kindName(), fd.flagNames(),
                    Long.toUnsignedString(fd.offset()), fd.dataLength(),
                    fd.isDuplicate() ? Integer.toUnsignedString(fd.sameAs()) : "-", fd.path());
        }
        table.appendTo(out, INDENT);
    }

    private void signals() {
        List<SignalAction> handled = image.signals().stream().filter(s -> !s.isDefault()).toList();
        out.append("\nSignal handlers (").append(handled.size()).append(" not default)\n");
        if (handled.isEmpty()) {
            return;
        }
        TextTable table = new TextTable().left("SIGNAL").left("HANDLER").left("FLAGS").left("MASK");
        for (SignalAction s : handled) {
            table.row(s.signalName(), s.handlerName(), Hex.crc(s.flags()), Hex.address(s.mask()));
        }
        table.appendTo(out, INDENT);
    }

    private void children() {
        out.append("\nChildren (").append(image.children().size()).append(")\n");
        if (image.children().isEmpty()) {
            return;
        }
        TextTable table = new TextTable().right("PID").left("STATE").right("WAIT STATUS");
        for (ChildRecord c : image.children()) {
            table.row(Integer.toUnsignedString(c.pid()), c.zombie() ? "zombie" : "running",
                    c.zombie() ? Integer.toString(c.waitStatus()) : "-");
        }
        table.appendTo(out, INDENT);
    }

    private void plugins() {
        out.append("\nPlugin sections (").append(image.pluginSections().size()).append(")\n");
        if (image.pluginSections().isEmpty()) {
            return;
        }
        TextTable table = new TextTable().left("ID").right("VERSION").right("SIZE");
        for (PluginSection p : image.pluginSections()) {
            table.row(p.pluginId(), Integer.toUnsignedString(p.version()), p.dataLength());
        }
        table.appendTo(out, INDENT);
        decoded.forEach((section, lines) -> {
            out.append(INDENT).append(Printable.of(section.pluginId())).append('\n');
            lines.forEach(line -> out.append(INDENT).append(INDENT).append(Printable.of(line)).append('\n'));
        });
    }

    private void otherSections() {
        List<SectionInfo> unknown = image.sections().stream()
                .filter(s -> SectionKind.of(s.kind()).isEmpty()).toList();
        if (unknown.isEmpty()) {
            return;
        }
        out.append("\nSections this Stasis does not know (").append(unknown.size()).append(", skipped)\n");
        TextTable table = new TextTable().left("KIND").right("OFFSET").right("SIZE");
        for (SectionInfo s : unknown) {
            table.row(Integer.toUnsignedString(s.kind()), s.offset(), Long.toUnsignedString(s.length()));
        }
        table.appendTo(out, INDENT);
    }

    private void pair(String name, String value) {
        out.append(INDENT).append(String.format("%-12s", name)).append(Printable.of(value)).append('\n');
    }
}
