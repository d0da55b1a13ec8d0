package io.stasis.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.stasis.api.json.Json;
import io.stasis.api.plugin.SectionDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stasis inspect} shows what a plugin's decoder makes of its section; a failing decoder cannot break it. */
class DecodedSectionsTest {

    @TempDir
    Path dir;

    @Test
    void decodedLinesFollowTheSectionTableAndAFailingDecoderIsShownAsSuch() {
        Image image = ImageReader.open(ImageWriter.sample().write(dir.resolve("ckpt_counter.stasis")));
        SectionDecoder pidVirt = (version, data) -> List.of("version " + version + ", " + data.remaining() + " bytes",
                "first word " + data.getInt(0));
        SectionDecoder sockets = (version, data) -> {
            throw new IllegalArgumentException("not a sockets section");
        };
        Map<String, SectionDecoder> decoders = Map.of("pid-virt", pidVirt, "sockets", sockets);
        VerificationReport report = ImageVerifier.verify(image, false);
        int firstWord = ByteBuffer.wrap(ImageWriter.sample().pluginData(0)).order(ByteOrder.LITTLE_ENDIAN).getInt(0);

        assertThat(ImageInspector.describe(image, report, false, decoders)).contains(
                "  pid-virt\n    version 1, 16 bytes\n    first word " + firstWord + "\n"
                        + "  sockets\n    cannot decode the section: java.lang.IllegalArgumentException: not a "
                        + "sockets section\n");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sections = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(
                ImageInspector.describe(image, report, true, decoders))).get("pluginSections");
        assertThat(sections.get(0).get("decoded")).isEqualTo(List.of("version 1, 16 bytes", "first word " + firstWord));
        assertThat(ImageInspector.describe(image, report, false, Map.of()))
                .isEqualTo(ImageInspector.describe(image, report, false));
    }
}
