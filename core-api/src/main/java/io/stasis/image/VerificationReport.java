package io.stasis.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ImageVerifier} found.
 *
 * @param deep          whether blocks were also decoded and their lengths checked
 * @param blockCount    blocks in the image (0 when its structure could not be read)
 * @param blocksChecked blocks whose checksum was computed
 * @param problems      one line each, in file order; the file checksum comes last
 */
public record VerificationReport(Path path, boolean deep, int blockCount, int blocksChecked, List<String> problems) {

    public VerificationReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    public Optional<String> firstFailure() {
        return problems.stream().findFirst();
    }

    /** One line: {@code "ok (12 blocks, file checksum)"} or the first failure and how many more. */
    public String summary() {
        if (ok()) {
            return "ok (" + blocksChecked + " block" + (blocksChecked == 1 ? "" : "s")
                    + (deep ? " decoded" : "") + ", file checksum)";
        }
        String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
        return "FAILED: " + problems.get(0) + more;
    }
}
