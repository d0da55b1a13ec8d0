package io.stasis.image;

/**
 * Where a section lies in the file, including kinds this reader does not know.
 *
 * @param offset file offset of the section header
 * @param length payload length; for MEMORY (whose header says "until END") the actual
 *               extent up to the trailer
 */
public record SectionInfo(int kind, int flags, long offset, long length) {

    public String name() {
        return SectionKind.nameOf(kind);
    }

    public long payloadOffset() {
        return offset + ImageFormat.SECTION_HEADER_SIZE;
    }
}
