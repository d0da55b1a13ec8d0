package io.stasis.image;

import java.util.List;
import java.util.Map;

/**
 * {@code stasis inspect --json}: a stable structure for scripts. Addresses are strings
 * ({@code "0x7f…"}), u64 values unsigned decimal numbers; members keep this order.
 */
final class JsonDescription {

    private final Image image;
    private final VerificationReport report;
    private final Map<PluginSection, List<String>> decoded;
    private final JsonWriter json = new JsonWriter();

    private JsonDescription(Image image, VerificationReport report, Map<PluginSection, List<String>> decoded) {
        this.image = image;
        this.report = report;
        this.decoded = decoded;
    }

    static String of(Image image, VerificationReport report, Map<PluginSection, List<String>> decoded) {
        return new JsonDescription(image, report, decoded).render();
    }

    private String render() {
        json.beginObject();
        json.field("path", image.path().toString());
        header();
        sections();
        process();
        threads();
        regions();
        fds();
        signals();
        children();
        plugins();
        memory();
        verification();
        json.endObject();
        return json.toString();
    }

    private void header() {
        ImageHeader h = image.header();
        json.name("header").beginObject()
                .field("version", h.version())
                .field("pageSize", h.pageSize())
                .field("machine", h.machine())
                .field("generation", Integer.toUnsignedLong(h.generation()))
                .field("createdMs", h.creationTimeMs())
                .field("created", h.creationTime().toString())
                .field("flags", Integer.toUnsignedLong(h.flags()))
                .endObject();
    }

    private void sections() {
        json.name("sections").beginArray();
        for (SectionInfo s : image.sections()) {
            json.beginObject()
                    .field("kind", Integer.toUnsignedLong(s.kind()))
                    .field("name", s.name())
                    .field("offset", s.offset())
                    .name("length").unsignedValue(s.length())
                    .endObject();
        }
        json.endArray();
    }

    private void process() {
        ProcessInfo p = image.process();
        json.name("process").beginObject()
                .field("program", p.program())
                .field("exe", p.exe())
                .field("cwd", p.cwd())
                .field("hostname", p.hostname())
                .field("uniqueId", p.uniqueId())
                .field("computationId", p.computationId())
                .field("computationSize", Integer.toUnsignedLong(p.computationSize()))
                .field("pid", Integer.toUnsignedLong(p.pid()))
                .field("ppid", Integer.toUnsignedLong(p.ppid()))
                .field("pgid", Integer.toUnsignedLong(p.pgid()))
                .field("sid", Integer.toUnsignedLong(p.sid()))
                .field("realPid", Integer.toUnsignedLong(p.realPid()))
                .field("uid", Integer.toUnsignedLong(p.uid()))
                .field("gid", Integer.toUnsignedLong(p.gid()))
                .field("umask", String.format("%03o", p.umask()))
                .field("threadCount", Integer.toUnsignedLong(p.threadCount()))
                .field("checkpointTimeMs", p.checkpointTimeMs())
                .field("restartMailbox", Hex.address(p.restartMailbox()))
                .field("comm", p.comm());
        MemoryLayout m = p.memoryLayout();
        json.name("mm").beginObject()
                .field("startCode", Hex.address(m.startCode()))
                .field("endCode", Hex.address(m.endCode()))
                .field("startData", Hex.address(m.startData()))
                .field("endData", Hex.address(m.endData()))
                .field("startBrk", Hex.address(m.startBrk()))
                .field("brk", Hex.address(m.brk()))
                .field("startStack", Hex.address(m.startStack()))
                .field("argStart", Hex.address(m.argStart()))
                .field("argEnd", Hex.address(m.argEnd()))
                .field("envStart", Hex.address(m.envStart()))
                .field("envEnd", Hex.address(m.envEnd()))
                .endObject();
        json.name("rlimits").beginArray();
        for (ResourceLimit limit : p.resourceLimits()) {
            json.beginObject().field("resource", Integer.toUnsignedLong(limit.resource()))
                    .name("soft").unsignedValue(limit.soft())
                    .name("hard").unsignedValue(limit.hard())
                    .endObject();
        }
        json.endArray();
        json.name("itimers").beginArray();
        for (IntervalTimer timer : p.intervalTimers()) {
            json.beginObject().field("which", timer.name())
                    .name("intervalUs").unsignedValue(timer.intervalUs())
                    .name("valueUs").unsignedValue(timer.valueUs())
                    .endObject();
        }
        json.endArray();
        json.name("plugins").beginArray();
        p.plugins().forEach(json::value);
        json.endArray();
        json.endObject();
    }

    private void threads() {
        json.name("threads").beginArray();
        for (ThreadRecord t : image.threads()) {
            json.beginObject()
                    .field("tid", Integer.toUnsignedLong(t.tid()))
                    .field("flags", TextDescription.threadFlags(t))
                    .field("main", t.isMain())
                    .field("checkpointThread", t.isCheckpointThread())
                    .field("rip", Hex.address(t.context().rip()))
                    .field("rsp", Hex.address(t.context().rsp()))
                    .field("fsBase", Hex.address(t.fsBase()))
                    .field("rseq", Hex.address(t.rseqAddress()))
                    .field("name", t.name())
                    .endObject();
        }
        json.endArray();
    }

    private void regions() {
        json.name("regions").beginArray();
        for (RegionUsage u : image.regionUsage()) {
            Region r = u.region();
            json.beginObject()
                    .field("start", Hex.address(r.start()))
                    .field("end", Hex.address(r.end()))
                    .field("perms", r.permissions())
                    .field("flags", r.flagNames())
                    .field("name", r.name())
                    .field("offset", Hex.address(r.fileOffset()))
                    .name("inode").unsignedValue(r.inode())
                    .field("dev", Integer.toUnsignedString(r.devMajor()) + ":" + Integer.toUnsignedString(r.devMinor()))
                    .field("pages", u.totalPages())
                    .field("storedPages", u.storedPages())
                    .field("zeroPages", u.zeroPages())
                    .endObject();
        }
        json.endArray();
    }

    private void fds() {
        json.name("fds").beginArray();
        for (FdRecord fd : image.fds()) {
            json.beginObject()
                    .field("fd", Integer.toUnsignedLong(fd.fd()))
                    .field("kind", fd.kindName())
                    .field("flags", fd.flagNames())
                    .field("openFlags", Integer.toUnsignedLong(fd.openFlags()))
                    .name("offset").unsignedValue(fd.offset())
                    .field("path", fd.path())
                    .field("dataLength", fd.dataLength())
                    .field("sameAs", fd.isDuplicate() ? Integer.toUnsignedLong(fd.sameAs()) : -1)
                    .name("shareId").unsignedValue(fd.shareId())
                    .endObject();
        }
        json.endArray();
    }

    private void children() {
        json.name("children").beginArray();
        for (ChildRecord c : image.children()) {
            json.beginObject()
                    .field("pid", Integer.toUnsignedLong(c.pid()))
                    .field("state", c.zombie() ? "zombie" : "running")
                    .field("waitStatus", c.waitStatus())
                    .endObject();
        }
        json.endArray();
    }

    private void signals() {
        json.name("signals").beginArray();
        for (SignalAction s : image.signals()) {
            if (s.isDefault()) {
                continue;
            }
            json.beginObject()
                    .field("signo", Integer.toUnsignedLong(s.signo()))
                    .field("name", s.signalName())
                    .field("handler", s.handlerName())
                    .field("flags", Hex.crc(s.flags()))
                    .field("mask", Hex.address(s.mask()))
                    .endObject();
        }
        json.endArray();
    }

    private void plugins() {
        json.name("pluginSections").beginArray();
        for (PluginSection p : image.pluginSections()) {
            json.beginObject()
                    .field("id", p.pluginId())
                    .field("version", Integer.toUnsignedLong(p.version()))
                    .field("size", p.dataLength());
            if (decoded.containsKey(p)) {
                json.name("decoded").beginArray();
                decoded.get(p).forEach(json::value);
                json.endArray();
            }
            json.endObject();
        }
        json.endArray();
    }

    private void memory() {
        long lz4 = image.blocks().stream().filter(b -> b.encoding() == BlockEncoding.LZ4).count();
        json.name("memory").beginObject()
                .field("blocks", image.blocks().size())
                .field("lz4Blocks", lz4)
                .field("rawBytes", image.rawBytes())
                .field("storedBytes", image.storedBytes())
                .endObject();
    }

    private void verification() {
        json.name("verification").beginObject()
                .field("ok", report.ok())
                .field("deep", report.deep())
                .field("blocksChecked", report.blocksChecked());
        json.name("problems").beginArray();
        report.problems().forEach(json::value);
        json.endArray();
        json.endObject();
    }
}
