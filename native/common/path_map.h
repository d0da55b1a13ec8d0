/* Path relocation at restart (`stasis restart --path-map OLD=NEW`, DMTCP's
 * DMTCP_ORIGINAL_PATH_PREFIX/DMTCP_NEW_PATH_PREFIX): a saved path under OLD is
 * used under NEW instead. A map is a run of NUL-terminated strings, OLD then NEW
 * for each entry, ended by an empty string; both absolute, without a trailing
 * slash (but "/" itself). A prefix matches whole components only ("/a/b" covers
 * "/a/b" and "/a/b/c", not "/a/bc"); the longest matching OLD wins. No malloc, no
 * stdio: libstasis uses it on the checkpoint thread at restart. */
#ifndef STASIS_PATH_MAP_H
#define STASIS_PATH_MAP_H

#include <stddef.h>

#define PATH_MAP_MAX 16384

/* Appends "OLD=NEW" (split at the first '=') to the map in buf (cap bytes, holding
 * a valid map, "" for none). 0, or -1 when the entry is malformed (not two
 * absolute paths) or does not fit. */
int path_map_add(char *buf, size_t cap, const char *entry);

/* The path to use now for `saved` (itself when no entry matches), in out (cap
 * bytes, always NUL-terminated when cap > 0). Returns its length: cap or more
 * means it was cut. map may be NULL or empty. */
size_t path_map_apply(const char *map, const char *saved, char *out, size_t cap);

/* The map's total size in bytes, its final empty string included. */
size_t path_map_size(const char *map);

#endif
