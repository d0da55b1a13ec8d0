#include "path_map.h"

#include <string.h>

/* The length of p without trailing slashes, "/" kept. */
static size_t trimmed(const char *p, size_t n)
{
    while (n > 1 && p[n - 1] == '/')
        n--;
    return n;
}

size_t path_map_size(const char *map)
{
    size_t at = 0;
    if (!map)
        return 1;
    while (map[at]) {
        at += strlen(map + at) + 1; /* OLD */
        at += strlen(map + at) + 1; /* NEW */
    }
    return at + 1;
}

int path_map_add(char *buf, size_t cap, const char *entry)
{
    const char *eq = strchr(entry, '=');
    if (!eq || entry[0] != '/' || eq[1] != '/')
        return -1;
    size_t old_length = trimmed(entry, (size_t)(eq - entry));
    size_t new_length = trimmed(eq + 1, strlen(eq + 1));
    size_t at = path_map_size(buf) - 1;
    if (at + old_length + 1 + new_length + 1 + 1 > cap)
        return -1;
    memcpy(buf + at, entry, old_length);
    buf[at + old_length] = 0;
    at += old_length + 1;
    memcpy(buf + at, eq + 1, new_length);
    buf[at + new_length] = 0;
    buf[at + new_length + 1] = 0;
    return 0;
}

/* Does prefix (length n, trimmed) cover path, component-wise? */
static int covers(const char *prefix, size_t n, const char *path)
{
    if (n == 1 && prefix[0] == '/')
        return path[0] == '/';
    return strncmp(path, prefix, n) == 0 && (path[n] == 0 || path[n] == '/');
}

static size_t put(char *out, size_t cap, size_t at, const char *s, size_t n)
{
    if (at < cap) {
        size_t room = cap - at - 1 < n ? cap - at - 1 : n;
        memcpy(out + at, s, room);
        out[at + room] = 0;
    }
    return at + n;
}

size_t path_map_apply(const char *map, const char *saved, char *out, size_t cap)
{
    const char *best_old = NULL, *best_new = NULL;
    size_t best = 0;
    for (size_t at = 0; map && map[at];) {
        const char *old = map + at;
        size_t n = strlen(old);
        const char *now = old + n + 1;
        if (covers(old, n, saved) && (!best_old || n > best)) {
            best_old = old;
            best_new = now;
            best = n;
        }
        at += n + 1 + strlen(now) + 1;
    }
    if (cap)
        out[0] = 0;
    if (!best_old)
        return put(out, cap, 0, saved, strlen(saved));
    /* the rest after OLD starts with '/' or is empty; "/" as OLD leaves it all */
    const char *rest = best == 1 ? (saved[1] ? saved : "") : saved + best;
    size_t new_length = strlen(best_new);
    if (new_length == 1 && rest[0] == '/')
        new_length = 0; /* NEW is "/": the rest is the path */
    size_t length = put(out, cap, 0, best_new, new_length);
    return put(out, cap, length, rest, strlen(rest));
}
