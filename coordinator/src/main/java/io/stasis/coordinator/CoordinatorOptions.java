package io.stasis.coordinator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a coordinator.
 *
 * @param bindAddress       address to listen on (default 127.0.0.1)
 * @param port              port to listen on (default 7779); 0 picks a free one, see {@code portFile}
 * @param intervalSeconds   seconds between interval checkpoints, 0 for none
 * @param checkpointDir     directory sent in CHECKPOINT frames; empty lets each process use its own
 * @param exitOnLast        quit when the last process leaves (or when none arrived within {@code firstProcessGrace})
 * @param exitAfterCheckpoint after the first successful checkpoint, kill every process and quit (batch eviction)
 * @param quiet             no start-up line
 * @param barrierTimeout    longest wait for a barrier without any progress before the checkpoint is aborted
 * @param firstProcessGrace with {@code exitOnLast}: how long to wait for a first process, or for a process
 *                          that exec'd to come back
 * @param portFile          file to write the port to once listening
 * @param arrivalTimeout    longest deferral of a checkpoint for a process on its way in (connecting, announced
 *                          by a launcher, exec'ing)
 * @param stasisCommand     the {@code stasis} command restart scripts run by default, if known
 * @param keepGenerations   0: every image goes to {@code checkpointDir} itself; n &gt; 0: each generation to its
 *                          own {@code generation-<g>/} under it, the newest n complete ones kept (needs a
 *                          {@code checkpointDir}; see {@code GenerationDirectories})
 */
public record CoordinatorOptions(String bindAddress, int port, long intervalSeconds, String checkpointDir,
                                 boolean exitOnLast, boolean exitAfterCheckpoint, boolean quiet,
                                 Duration barrierTimeout, Duration firstProcessGrace, Optional<Path> portFile,
                                 Duration arrivalTimeout, Optional<Path> stasisCommand, int keepGenerations) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 7779;
    public static final Duration DEFAULT_BARRIER_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_FIRST_PROCESS_GRACE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_ARRIVAL_TIMEOUT = Duration.ofSeconds(10);

    public CoordinatorOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(checkpointDir, "checkpointDir");
        Objects.requireNonNull(portFile, "portFile");
        Objects.requireNonNull(stasisCommand, "stasisCommand");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (intervalSeconds < 0 || intervalSeconds > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("interval must be 0..4294967295 seconds: " + intervalSeconds);
        }
        if (barrierTimeout.isNegative() || barrierTimeout.isZero()) {
            throw new IllegalArgumentException("barrier timeout must be positive");
        }
        if (firstProcessGrace.isNegative()) {
            throw new IllegalArgumentException("first process grace must not be negative");
        }
        if (keepGenerations < 0 || keepGenerations > 0 && !Path.of(checkpointDir).isAbsolute()) {
            throw new IllegalArgumentException("generations need an absolute checkpoint directory");
        }
        if (arrivalTimeout.isNegative()) {
            throw new IllegalArgumentException("arrival timeout must not be negative");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().bindAddress(bindAddress).port(port).intervalSeconds(intervalSeconds)
                .checkpointDir(checkpointDir).exitOnLast(exitOnLast).exitAfterCheckpoint(exitAfterCheckpoint)
                .quiet(quiet).barrierTimeout(barrierTimeout).firstProcessGrace(firstProcessGrace)
                .portFile(portFile.orElse(null)).arrivalTimeout(arrivalTimeout)
                .stasisCommand(stasisCommand.orElse(null)).keepGenerations(keepGenerations);
    }

    /** Defaults as documented on the record; each setter returns the builder. */
    public static final class Builder {
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private long intervalSeconds;
        private String checkpointDir = "";
        private boolean exitOnLast;
        private boolean exitAfterCheckpoint;
        private boolean quiet;
        private Duration barrierTimeout = DEFAULT_BARRIER_TIMEOUT;
        private Duration firstProcessGrace = DEFAULT_FIRST_PROCESS_GRACE;
        private Path portFile;
        private Duration arrivalTimeout = DEFAULT_ARRIVAL_TIMEOUT;
        private Path stasisCommand;
        private int keepGenerations;

        private Builder() {
        }

        public Builder bindAddress(String value) {
            bindAddress = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder intervalSeconds(long value) {
            intervalSeconds = value;
            return this;
        }

        public Builder checkpointDir(String value) {
            checkpointDir = value;
            return this;
        }

        public Builder exitOnLast(boolean value) {
            exitOnLast = value;
            return this;
        }

        public Builder exitAfterCheckpoint(boolean value) {
            exitAfterCheckpoint = value;
            return this;
        }

        public Builder quiet(boolean value) {
            quiet = value;
            return this;
        }

        public Builder barrierTimeout(Duration value) {
            barrierTimeout = value;
            return this;
        }

        public Builder firstProcessGrace(Duration value) {
            firstProcessGrace = value;
            return this;
        }

        /** Null for none. */
        public Builder portFile(Path value) {
            portFile = value;
            return this;
        }

        public Builder arrivalTimeout(Duration value) {
            arrivalTimeout = value;
            return this;
        }

        /** Null for "stasis" from PATH. */
        public Builder stasisCommand(Path value) {
            stasisCommand = value;
            return this;
        }

        public Builder keepGenerations(int value) {
            keepGenerations = value;
            return this;
        }

        public CoordinatorOptions build() {
            return new CoordinatorOptions(bindAddress, port, intervalSeconds, checkpointDir, exitOnLast,
                    exitAfterCheckpoint, quiet, barrierTimeout, firstProcessGrace, Optional.ofNullable(portFile),
                    arrivalTimeout, Optional.ofNullable(stasisCommand), keepGenerations);
        }
    }
}
