package io.stasis.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The same cases as native/test/test_path_map.c: the two sides must agree. */
class PathMapTest {

    @Test
    void longestWholeComponentPrefixWins() {
        PathMap map = PathMap.parse(List.of("/sandbox/dir_1=/sandbox/dir_2", "/sandbox/dir_1/keep/=/elsewhere/"));
        assertThat(map.map("/sandbox/dir_1")).isEqualTo("/sandbox/dir_2");
        assertThat(map.map("/sandbox/dir_1/out.txt")).isEqualTo("/sandbox/dir_2/out.txt");
        assertThat(map.map("/sandbox/dir_10/out.txt")).isEqualTo("/sandbox/dir_10/out.txt");
        assertThat(map.map("/sandbox/dir_1/keep")).isEqualTo("/elsewhere");
        assertThat(map.map("/sandbox/dir_1/keeper")).isEqualTo("/sandbox/dir_2/keeper");
        assertThat(map.map("/other")).isEqualTo("/other");
        assertThat(PathMap.NONE.map("/a/b")).isEqualTo("/a/b");
    }

    @Test
    void rootOnEitherSide() {
        PathMap all = PathMap.parse(List.of("/=/root"));
        assertThat(all.map("/a")).isEqualTo("/root/a");
        assertThat(all.map("/")).isEqualTo("/root");
        PathMap up = PathMap.parse(List.of("/old=/"));
        assertThat(up.map("/old/a")).isEqualTo("/a");
        assertThat(up.map("/old")).isEqualTo("/");
    }

    @Test
    void entriesMustBeTwoAbsolutePaths() {
        assertThatThrownBy(() -> PathMap.parse(List.of("relative=/x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathMap.parse(List.of("/x=relative"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathMap.parse(List.of("/x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(PathMap.parse(List.of("/a/=/b/")).entries().get(0).toString()).isEqualTo("/a=/b");
    }
}
