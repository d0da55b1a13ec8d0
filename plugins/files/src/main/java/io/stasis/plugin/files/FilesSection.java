package io.stasis.plugin.files;

import io.stasis.api.plugin.SectionDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * The files section for {@code stasis inspect}: the magic "FIL1", then records
 * {@code [u32 kind][i32 fd][u64 length][payload]} (plugins/files/native/files.h), each shown by the
 * describer of its kind. A record of a kind without a describer is shown by its size; a damaged record says
 * so on its line; a truncated section shows the records before the damage and a line saying where it ends.
 */
final class FilesSection implements SectionDecoder {

    static final int MAGIC = 0x314c4946; // "FIL1" little-endian
    private static final int HEADER = 16;

    /** One record, its payload a little-endian slice positioned at 0. */
    record Record(int kind, int fd, ByteBuffer payload) {
    }

    /** The records of a section, and where it stopped making sense (empty when it did not). */
    record Parsed(List<Record> records, String damage) {
    }

    private final Map<Integer, RecordDescriber> describers;

    FilesSection(Map<Integer, RecordDescriber> describers) {
        this.describers = Map.copyOf(describers);
    }

    /** The describers of this module's record kinds. */
    static Map<Integer, RecordDescriber> builtInDescribers() {
        Map<Integer, RecordDescriber> all = new HashMap<>(EventRecords.describers());
        all.put(RecordKind.FILE_STATE, FileState::describe);
        all.put(RecordKind.UNLINKED, RegularRecords::describeUnlinked);
        all.put(RecordKind.MEMFD, RegularRecords::describeMemfd);
        all.put(RecordKind.FIFO, new FifoRecords());
        return Map.copyOf(all);
    }

    /**
     * @throws IllegalArgumentException the section does not start with the magic
     */
    static Parsed parse(ByteBuffer data) {
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4 || in.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a files section of a version this Stasis reads");
        }
        List<Record> records = new ArrayList<>();
        while (in.hasRemaining()) {
            int at = in.position();
            if (in.remaining() < HEADER) {
                return new Parsed(records, "truncated at byte " + at + ": a record header needs " + HEADER
                        + " bytes, " + in.remaining() + " left");
            }
            int kind = in.getInt();
            int fd = in.getInt();
            long length = in.getLong();
            if (length < 0 || length > in.remaining()) {
                return new Parsed(records, "truncated at byte " + at + ": the record of fd " + fd + " (kind " + kind
                        + ") needs " + Long.toUnsignedString(length) + " bytes, " + in.remaining() + " left");
            }
            ByteBuffer payload = in.slice().limit((int) length).slice().order(ByteOrder.LITTLE_ENDIAN);
            records.add(new Record(kind, fd, payload));
            in.position(in.position() + (int) length);
        }
        return new Parsed(records, "");
    }

    @Override
    public List<String> describe(int version, ByteBuffer data) {
        Parsed parsed = parse(data);
        List<String> lines = new ArrayList<>();
        for (Record r : parsed.records()) {
            lines.add(describe(r));
        }
        if (!parsed.damage().isEmpty()) {
            lines.add("section " + parsed.damage());
        }
        return lines;
    }

    private String describe(Record r) {
        RecordDescriber describer = describers.get(r.kind());
        if (describer == null) {
            return "fd " + r.fd() + ": record kind " + r.kind() + ", " + r.payload().remaining() + " bytes";
        }
        try {
            return describer.describe(r.fd(), r.payload().duplicate().order(ByteOrder.LITTLE_ENDIAN));
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            return "fd " + r.fd() + ": malformed " + RecordKind.name(r.kind()) + " record of "
                    + r.payload().remaining() + " bytes" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
