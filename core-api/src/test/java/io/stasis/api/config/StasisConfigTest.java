package io.stasis.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StasisConfigTest {

    private static final ConfigKey PORT = new ConfigKey("coord.port", "7779", "coordinator port");
    private static final ConfigKey THREADS = new ConfigKey("write-threads", null, "compression threads");

    @TempDir
    Path dir;

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault() {
        Map<String, String> cli = Map.of("coord.port", "1001");
        Map<String, String> env = Map.of("STASIS_COORD_PORT", "1002");
        Map<String, String> file = Map.of("coord.port", "1003");

        assertThat(StasisConfig.of(cli, env, file).resolve(PORT)).contains(
                new ConfigValue("coord.port", "1001", ConfigSource.COMMAND_LINE, "command line"));
        assertThat(StasisConfig.of(Map.of(), env, file).resolve(PORT)).contains(
                new ConfigValue("coord.port", "1002", ConfigSource.ENVIRONMENT, "STASIS_COORD_PORT"));
        assertThat(StasisConfig.of(Map.of(), Map.of(), file).resolve(PORT).map(ConfigValue::source))
                .contains(ConfigSource.FILE);
        assertThat(StasisConfig.of(Map.of(), Map.of(), Map.of()).resolve(PORT)).contains(
                new ConfigValue("coord.port", "7779", ConfigSource.DEFAULT, "default"));
        assertThat(StasisConfig.of(Map.of(), Map.of(), Map.of()).resolve(THREADS)).isEmpty();
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        assertThat(PORT.environmentName()).isEqualTo("STASIS_COORD_PORT");
        assertThat(THREADS.environmentName()).isEqualTo("STASIS_WRITE_THREADS");
        assertThat(StasisConfig.of(Map.of(), Map.of("STASIS_WRITE_THREADS", "3"), Map.of()).getInt(THREADS))
                .isEqualTo(3);
        assertThat(StasisConfig.of(Map.of(), Map.of("WRITE_THREADS", "3"), Map.of()).get("write-threads")).isEmpty();
    }

    @Test
    void anEmptyEnvironmentVariableIsUnset() {
        StasisConfig config = StasisConfig.of(Map.of(), Map.of("STASIS_COORD_PORT", ""), Map.of("coord.port", "5"));
        assertThat(config.getInt(PORT)).isEqualTo(5);
    }

    @Test
    void readsAnExplicitPropertiesFile() throws IOException {
        Path file = Files.writeString(dir.resolve("my.properties"), "# comment\ncoord.port = 4242 \nwrite-threads=2\n");
        StasisConfig config = StasisConfig.load(Map.of(), Map.of(), Optional.of(file));
        assertThat(config.getInt(PORT)).isEqualTo(4242);
        assertThat(config.resolve(THREADS).orElseThrow().origin()).isEqualTo(file.toString());
    }

    @Test
    void readsTheDefaultFileUnderHomeOrXdgConfigHome() throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".config/stasis"));
        Files.writeString(home.resolve(".config/stasis/stasis.properties"), "coord.port=1111\n");
        Path xdg = dir.resolve("xdg");
        Files.createDirectories(xdg.resolve("stasis"));
        Files.writeString(xdg.resolve("stasis/stasis.properties"), "coord.port=2222\n");

        Map<String, String> env = Map.of("HOME", home.toString());
        assertThat(StasisConfig.load(Map.of(), env, Optional.empty()).getInt(PORT)).isEqualTo(1111);
        Map<String, String> withXdg = Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString());
        assertThat(StasisConfig.load(Map.of(), withXdg, Optional.empty()).getInt(PORT)).isEqualTo(2222);
    }

    @Test
    void aMissingDefaultFileIsFineAMissingExplicitOneIsNot() {
        Map<String, String> env = Map.of("HOME", dir.toString());
        assertThat(StasisConfig.load(Map.of(), env, Optional.empty()).getInt(PORT)).isEqualTo(7779);
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> StasisConfig.load(Map.of(), env, Optional.of(missing)))
                .isInstanceOf(ConfigException.class).hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void anUnreadableFileIsAConfigException() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        assertThatThrownBy(() -> StasisConfig.load(Map.of(), Map.of(), Optional.of(directory)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("cannot read config file " + directory);
        Path malformed = Files.writeString(dir.resolve("bad.properties"), "coord.port=\\u12\n");
        assertThatThrownBy(() -> StasisConfig.load(Map.of(), Map.of(), Optional.of(malformed)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("cannot read config file " + malformed);
    }

    @Test
    void typedValuesNameTheirOriginWhenWrong() {
        StasisConfig config = StasisConfig.of(Map.of(), Map.of("STASIS_COORD_PORT", "seven"), Map.of());
        assertThatThrownBy(() -> config.getInt(PORT)).isInstanceOf(ConfigException.class)
                .hasMessage("coord.port: \"seven\" from STASIS_COORD_PORT is not a whole number");
        ConfigKey debug = new ConfigKey("debug", "0", "verbose logs");
        assertThat(StasisConfig.of(Map.of("debug", "Yes"), Map.of(), Map.of()).getBoolean(debug)).isTrue();
        assertThat(StasisConfig.of(Map.of(), Map.of(), Map.of()).getBoolean(debug)).isFalse();
        assertThatThrownBy(() -> StasisConfig.of(Map.of("debug", "maybe"), Map.of(), Map.of()).getBoolean(debug))
                .hasMessage("debug: \"maybe\" from command line is not true or false");
        assertThatThrownBy(() -> StasisConfig.of(Map.of(), Map.of(), Map.of()).get(THREADS))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("write-threads is not set");
    }

    @Test
    void isImmutable() {
        Map<String, String> cli = new HashMap<>(Map.of("coord.port", "1"));
        StasisConfig config = StasisConfig.of(cli, Map.of(), Map.of());
        cli.put("coord.port", "2");
        StasisConfig changed = config.withCommandLine("coord.port", "3");
        assertThat(config.getInt(PORT)).isEqualTo(1);
        assertThat(changed.getInt(PORT)).isEqualTo(3);
    }

    @Test
    void refusesBadKeyNames() {
        assertThatThrownBy(() -> new ConfigKey("Coord_Port", null, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StasisConfig.of(Map.of("coord..port", "1"), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
