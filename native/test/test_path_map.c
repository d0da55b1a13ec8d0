/* Path relocation (common/path_map.c): whole components only, the longest
 * prefix wins, "/" on either side, trailing slashes, cut results. */
#include <string.h>

#include "../common/path_map.h"
#include "check.h"

static char map[PATH_MAP_MAX];

static void expect(const char *saved, const char *want)
{
    char out[4096];
    size_t n = path_map_apply(map, saved, out, sizeof out);
    CHECK(strcmp(out, want) == 0 && n == strlen(want), "%s -> %s, wanted %s", saved, out, want);
}

int main(void)
{
    map[0] = 0;
    expect("/a/b", "/a/b"); /* no map */
    CHECK(path_map_add(map, sizeof map, "/sandbox/dir_1=/sandbox/dir_2") == 0, "add");
    CHECK(path_map_add(map, sizeof map, "/sandbox/dir_1/keep/=/elsewhere/") == 0, "add with slashes");
    CHECK(path_map_add(map, sizeof map, "relative=/x") < 0, "relative OLD refused");
    CHECK(path_map_add(map, sizeof map, "/x=relative") < 0, "relative NEW refused");
    CHECK(path_map_add(map, sizeof map, "/x") < 0, "no '=' refused");
    expect("/sandbox/dir_1", "/sandbox/dir_2");
    expect("/sandbox/dir_1/out.txt", "/sandbox/dir_2/out.txt");
    expect("/sandbox/dir_10/out.txt", "/sandbox/dir_10/out.txt"); /* not a whole component */
    expect("/sandbox/dir_1/keep", "/elsewhere");
    expect("/sandbox/dir_1/keep/f (deleted)", "/elsewhere/f (deleted)");
    expect("/sandbox/dir_1/keeper", "/sandbox/dir_2/keeper");
    expect("/other", "/other");

    map[0] = 0;
    CHECK(path_map_add(map, sizeof map, "/=/root") == 0, "add /");
    expect("/a", "/root/a");
    expect("/", "/root");
    map[0] = 0;
    CHECK(path_map_add(map, sizeof map, "/old=/") == 0, "add to /");
    expect("/old/a", "/a");
    expect("/old", "/");

    char small[8];
    size_t n = path_map_apply(map, "/old/abcdefghij", small, sizeof small);
    CHECK(n == strlen("/abcdefghij") && strlen(small) == 7, "cut: %zu %s", n, small);

    char tiny[24] = "";
    CHECK(path_map_add(tiny, sizeof tiny, "/aaaaaaaa=/bbbbbbbb") == 0, "fits");
    CHECK(path_map_add(tiny, sizeof tiny, "/c=/d") < 0, "full");
    CHECK(path_map_size(tiny) == 21, "size %zu", path_map_size(tiny));
    return check_report("path_map");
}
