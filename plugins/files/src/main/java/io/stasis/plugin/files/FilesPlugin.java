package io.stasis.plugin.files;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.ConfigKey;
import io.stasis.api.config.StasisConfig;
import io.stasis.api.plugin.ResourcePlugin;
import io.stasis.api.plugin.RestartCheck;
import io.stasis.api.plugin.RestartRefusedException;
import io.stasis.api.plugin.SectionDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Built-in plugin: what the core does not recreate by itself from a path — deleted files and memfds (their
 * contents saved), fifos (their bytes in flight), eventfd, epoll, signalfd, timerfd, inotify — and the
 * check that the regular files a process had open did not change before it is restarted (docs/files.md).
 */
public final class FilesPlugin implements ResourcePlugin {

    static final ConfigKey SAVE_OPEN_FILES = new ConfigKey("files.save-open-files", "",
            "regular files opened for writing whose contents the image keeps: empty for none, 'all', or "
                    + "colon-separated paths (a directory covers what is under it) and globs (* and ? within a name)");
    static final ConfigKey SAVE_MAX_SIZE = new ConfigKey("files.save-max-size", "16M",
            "largest file files.save-open-files saves, in bytes or with K, M, G (bigger ones are not saved)");
    static final ConfigKey RESTORE_FILES = new ConfigKey("files.restore-files", "false",
            "at restart, put back the saved copy of every file that changed since the checkpoint "
                    + "(as --restore-files does) instead of refusing");

    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([kKmMgG]?)");

    @Override
    public String id() {
        return "files";
    }

    @Override
    public String description() {
        return "deleted files, memfds, fifos, eventfd, epoll, signalfd, timerfd, inotify; changed-file checks";
    }

    @Override
    public Optional<String> fragment() {
        return Optional.of("libstasis_files.so");
    }

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(SAVE_OPEN_FILES, SAVE_MAX_SIZE, RESTORE_FILES);
    }

    /** The fragment reads the two save settings; the size as a plain number of bytes. */
    @Override
    public Map<String, String> fragmentEnvironment(StasisConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(SAVE_OPEN_FILES.environmentName(), config.get(SAVE_OPEN_FILES).strip());
        env.put(SAVE_MAX_SIZE.environmentName(), String.valueOf(bytes(config.get(SAVE_MAX_SIZE))));
        return env;
    }

    /** {@code 16M} → 16777216. */
    static long bytes(String value) {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw new ConfigException(SAVE_MAX_SIZE.name() + ": \"" + value + "\" is not a size (bytes, or with K, "
                    + "M or G)");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    @Override
    public Optional<SectionDecoder> sectionDecoder() {
        return Optional.of(new FilesSection(FilesSection.builtInDescribers()));
    }

    /** The changed-file policy, at the paths the restart uses: refuse, or put back saved copies when asked to. */
    @Override
    public void checkBeforeRestart(RestartCheck check) {
        List<FileState> states = new ArrayList<>();
        for (RestartCheck.Section section : check.sections()) {
            FilesSection.Parsed parsed;
            try {
                parsed = FilesSection.parse(section.data());
            } catch (IllegalArgumentException e) {
                throw new RestartRefusedException(section.image() + ": " + e.getMessage());
            }
            if (!parsed.damage().isEmpty()) {
                throw new RestartRefusedException(section.image() + ": its files section is " + parsed.damage());
            }
            for (FilesSection.Record r : parsed.records()) {
                if (r.kind() != RecordKind.FILE_STATE) {
                    continue;
                }
                try {
                    // checked, and put back, where the restart will reopen it
                    FileState saved = FileState.parse(r.fd(), r.payload());
                    states.add(saved.at(check.paths().map(saved.path())));
                } catch (IllegalArgumentException e) {
                    throw new RestartRefusedException(section.image() + ": malformed record of fd " + r.fd()
                            + " in its files section: " + e.getMessage());
                }
            }
        }
        boolean restore = check.restoreRequested() || restoreByConfig(check.config());
        FilePolicy.enforce(states, restore, check.notices());
    }

    private static boolean restoreByConfig(StasisConfig config) {
        try {
            return config.getBoolean(RESTORE_FILES);
        } catch (ConfigException e) {
            throw new RestartRefusedException(e.getMessage());
        }
    }
}
