package io.stasis.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a \"quoted\" \\ line\nand\ttab \u0001 é");
        m.put("n", 12345678901L);
        m.put("d", 1.5);
        m.put("b", true);
        m.put("z", null);
        m.put("l", Arrays.asList(1L, "x", null, List.of()));
        m.put("o", Map.of());
        String json = Json.write(m);
        assertThat(json).startsWith("{\"s\":\"a \\\"quoted\\\" \\\\ line\\nand\\ttab \\u0001 é\",\"n\":12345678901,");
        assertThat(Json.parse(json)).isEqualTo(m);
    }

    @Test
    void parsesWhitespaceAndEscapes() {
        assertThat(Json.parse(" [ {\"a\" : \"\\u00e9\\/\"} , -2 , 3e2 ] ")).isEqualTo(List.of(Map.of("a", "é/"), -2L, 300.0));
    }

    @Test
    void rejectsBrokenJson() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "\"open", "tru", "1 2", "{\"a\":1,}")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
