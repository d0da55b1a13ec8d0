package io.stasis.api.config;

import io.stasis.api.text.ErrorText;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolves configuration keys with the precedence of docs/environment.md: command line, then the
 * environment ({@code STASIS_<KEY>}), then the properties file, then the key's default.
 *
 * <p>Immutable; everything it reads is passed in, so tests never see the real environment.
 * An environment variable set to the empty string counts as unset ({@code STASIS_DEBUG= cmd}
 * is how a shell user switches an inherited value off).
 */
public final class StasisConfig {

    public static final String FILE_NAME = "stasis.properties";

    private final Map<String, String> commandLine;
    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final String fileOrigin;

    private StasisConfig(Map<String, String> commandLine, Map<String, String> environment, Map<String, String> file,
            String fileOrigin) {
        commandLine.keySet().forEach(ConfigKey::checkName);
        this.commandLine = Map.copyOf(commandLine);
        this.environment = Map.copyOf(environment);
        this.file = Map.copyOf(file);
        this.fileOrigin = fileOrigin;
    }

    /**
     * @param commandLine values given as options, by key name
     * @param environment the process environment (only {@code STASIS_*} names are consulted)
     * @param file        the properties file's entries, by key name
     */
    public static StasisConfig of(Map<String, String> commandLine, Map<String, String> environment,
            Map<String, String> file) {
        return new StasisConfig(commandLine, environment, file, "config file");
    }

    /** The variable naming the config file when no {@code --config} does (an explicit file: it must exist). */
    public static final String FILE_VARIABLE = "STASIS_CONFIG";

    /**
     * Reads the properties file: {@code explicitFile} if given, else {@code $STASIS_CONFIG} if set (either
     * must exist), else {@link #defaultFile} if it exists.
     *
     * @throws ConfigException the file cannot be read or parsed
     */
    public static StasisConfig load(Map<String, String> commandLine, Map<String, String> environment,
            Optional<Path> explicitFile) {
        String fromEnvironment = environment.getOrDefault(FILE_VARIABLE, "");
        if (explicitFile.isEmpty() && !fromEnvironment.isEmpty()) {
            explicitFile = Optional.of(Path.of(fromEnvironment));
        }
        Path path = explicitFile.orElseGet(() -> defaultFile(environment));
        Map<String, String> entries;
        try {
            entries = readProperties(path);
        } catch (NoSuchFileException e) {
            if (explicitFile.isPresent()) {
                throw new ConfigException("config file " + path + " does not exist", e);
            }
            entries = Map.of();
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + path + ": " + ErrorText.of(e), e);
        }
        return new StasisConfig(commandLine, environment, entries, path.toString());
    }

    /** {@code $XDG_CONFIG_HOME/stasis/stasis.properties}, else {@code $HOME/.config/stasis/stasis.properties}. */
    public static Path defaultFile(Map<String, String> environment) {
        String xdg = environment.getOrDefault("XDG_CONFIG_HOME", "");
        if (xdg.startsWith("/")) {
            return Path.of(xdg, "stasis", FILE_NAME);
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "stasis", FILE_NAME);
    }

    /** A copy with one more command-line value (it wins over everything else). */
    public StasisConfig withCommandLine(String key, String value) {
        Map<String, String> values = new HashMap<>(commandLine);
        values.put(key, value);
        return new StasisConfig(values, environment, file, fileOrigin);
    }

    /** The value and its source, or empty when nothing sets it and the key has no default. */
    public Optional<ConfigValue> resolve(ConfigKey key) {
        String name = key.name();
        if (commandLine.containsKey(name)) {
            return Optional.of(new ConfigValue(name, commandLine.get(name), ConfigSource.COMMAND_LINE, "command line"));
        }
        String variable = key.environmentName();
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return Optional.of(new ConfigValue(name, fromEnvironment, ConfigSource.ENVIRONMENT, variable));
        }
        if (file.containsKey(name)) {
            return Optional.of(new ConfigValue(name, file.get(name), ConfigSource.FILE, fileOrigin));
        }
        if (key.defaultValue() != null) {
            return Optional.of(new ConfigValue(name, key.defaultValue(), ConfigSource.DEFAULT, "default"));
        }
        return Optional.empty();
    }

    /** The value of a key that has no default. */
    public Optional<String> get(String name) {
        return resolve(new ConfigKey(name, null, "")).map(ConfigValue::value);
    }

    /** The value, or the key's default. */
    public String get(ConfigKey key) {
        return resolve(key).map(ConfigValue::value)
                .orElseThrow(() -> new ConfigException(key.name() + " is not set (" + key.environmentName()
                        + " or " + key.name() + " in " + fileOrigin + ")"));
    }

    public int getInt(ConfigKey key) {
        ConfigValue value = resolve(key).orElseThrow(() -> new ConfigException(key.name() + " is not set"));
        try {
            return Integer.parseInt(value.value().trim());
        } catch (NumberFormatException e) {
            throw wrongType(value, "a whole number");
        }
    }

    /** {@code 1/true/yes/on} and {@code 0/false/no/off}, any case. */
    public boolean getBoolean(ConfigKey key) {
        ConfigValue value = resolve(key).orElseThrow(() -> new ConfigException(key.name() + " is not set"));
        return switch (value.value().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw wrongType(value, "true or false");
        };
    }

    private static ConfigException wrongType(ConfigValue value, String expected) {
        return new ConfigException(value.key() + ": \"" + value.value() + "\" from " + value.origin() + " is not "
                + expected);
    }

    private static Map<String, String> readProperties(Path path) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> entries = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            entries.put(name, properties.getProperty(name).trim());
        }
        return entries;
    }
}
