package io.stasis.image;

/** The 32-byte trailer; {@code offset} is where it starts in the file. */
public record Trailer(long offset, long fileLength, int sectionCount, int blockCount, int fileCrc) {
}
