package io.stasis.plugin.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stasis.api.config.ConfigException;
import io.stasis.api.config.StasisConfig;
import io.stasis.api.plugin.PathMap;
import io.stasis.api.plugin.RestartCheck;
import io.stasis.api.plugin.RestartRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesPluginTest {

    private final FilesPlugin plugin = new FilesPlugin();

    @Test
    void declaresItsSettingsWithDefaults() {
        assertThat(plugin.configKeys()).extracting(k -> k.name() + "=" + k.defaultValue()).containsExactly(
                "files.save-open-files=", "files.save-max-size=16M", "files.restore-files=false");
    }

    @Test
    void theFragmentGetsTheSaveSettingsWithTheSizeInBytes() {
        StasisConfig config = StasisConfig.of(Map.of("files.save-open-files", "/data:/srv/*.db",
                "files.save-max-size", "2k"), Map.of(), Map.of());
        assertThat(plugin.fragmentEnvironment(config)).containsExactly(
                Map.entry("STASIS_FILES_SAVE_OPEN_FILES", "/data:/srv/*.db"),
                Map.entry("STASIS_FILES_SAVE_MAX_SIZE", "2048"));
        assertThat(plugin.fragmentEnvironment(StasisConfig.of(Map.of(), Map.of(), Map.of()))).containsExactly(
                Map.entry("STASIS_FILES_SAVE_OPEN_FILES", ""), Map.entry("STASIS_FILES_SAVE_MAX_SIZE", "16777216"));
    }

    @Test
    void sizesTakeSuffixesAndRefuseTheRest() {
        assertThat(FilesPlugin.bytes("100")).isEqualTo(100);
        assertThat(FilesPlugin.bytes(" 3 G")).isEqualTo(3L << 30);
        assertThatThrownBy(() -> FilesPlugin.bytes("lots")).isInstanceOf(ConfigException.class)
                .hasMessage("files.save-max-size: \"lots\" is not a size (bytes, or with K, M or G)");
    }

    @Test
    void aDamagedSectionIsARefusalNamingTheImage() {
        byte[] whole = SectionBytes.section().record(RecordKind.FILE_STATE, 3,
                SectionBytes.fileState("/a", 0, 0, 0, null)).toArray();
        RestartCheck check = new RestartCheck(List.of(new RestartCheck.Section(Path.of("/img/ckpt_a.stasis"), 1,
                Arrays.copyOf(whole, whole.length - 3))), StasisConfig.of(Map.of(), Map.of(), Map.of()), false,
                line -> { });
        assertThatThrownBy(() -> plugin.checkBeforeRestart(check)).isInstanceOf(RestartRefusedException.class)
                .hasMessageStartingWith("/img/ckpt_a.stasis: its files section is truncated at byte 4");
    }

    @Test
    void aBadRestoreSettingIsARefusal() {
        RestartCheck check = new RestartCheck(List.of(new RestartCheck.Section(Path.of("i"), 1,
                SectionBytes.section().toArray())), StasisConfig.of(Map.of("files.restore-files", "maybe"), Map.of(),
                Map.of()), false, line -> { });
        assertThatThrownBy(() -> plugin.checkBeforeRestart(check)).isInstanceOf(RestartRefusedException.class)
                .hasMessageContaining("files.restore-files");
    }

    @Test
    void filesAreCheckedWhereThePathMapPutsThem(@TempDir Path tmp) throws Exception {
        Path moved = Files.createDirectories(tmp.resolve("new"));
        Files.write(moved.resolve("out.txt"), new byte[10]);
        String saved = tmp.resolve("old").resolve("out.txt").toString();
        byte[] section = SectionBytes.section().record(RecordKind.FILE_STATE, 3,
                SectionBytes.fileState(saved, 10, 0, 1 /* O_WRONLY */, null)).toArray();
        List<RestartCheck.Section> sections = List.of(new RestartCheck.Section(Path.of("i"), 1, section));
        StasisConfig config = StasisConfig.of(Map.of(), Map.of(), Map.of());
        assertThatThrownBy(() -> plugin.checkBeforeRestart(new RestartCheck(sections, config, false, line -> { })))
                .isInstanceOf(RestartRefusedException.class).hasMessageStartingWith(saved + " was deleted");
        plugin.checkBeforeRestart(new RestartCheck(sections, config, false, line -> { },
                PathMap.parse(List.of(tmp.resolve("old") + "=" + moved))));
    }
}

