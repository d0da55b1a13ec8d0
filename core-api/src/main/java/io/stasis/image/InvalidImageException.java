package io.stasis.image;

/**
 * The file is not a readable Stasis image: wrong magic or version, truncated, malformed,
 * or inconsistent. The message is one line naming the file, what is wrong and where.
 */
public final class InvalidImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    public InvalidImageException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** The file (or stream) that was being read. */
    public String source() {
        return source;
    }

    /** What is wrong, without the file name, e.g. {@code "truncated at offset 812 while reading REGIONS"}. */
    public String problem() {
        return problem;
    }
}
