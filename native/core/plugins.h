/* The core's side of include/stasis/plugin.h: the registry of fragments and the
 * dispatch of events in the documented order. */
#ifndef STASIS_PLUGINS_H
#define STASIS_PLUGINS_H

#include <stdint.h>

#include "../include/stasis/ids.h"
#include "../include/stasis/plugin.h"
#include "../include/stasis/services.h"
#include "image_writer.h"

/* Checkpoint-side events go in load order, the others in reverse. 0, or the
 * first error (the id of the failing plugin in *failed). */
int plugins_dispatch(enum stasis_event event, uint32_t generation, const char **failed);
/* WRITE: one PLUGIN section per plugin that wrote something. */
int plugins_write_sections(struct image_writer *w, uint32_t generation, void *scratch, uint64_t cap);
/* RESTART/REFILL read sections from the image's metadata. */
void plugins_set_metadata(const void *metadata, uint64_t length);
int plugins_count(void);
/* "<plugin id>: <its last warning>" when the last plugin event failed, else "". */
const char *plugins_failure_reason(void);
/* The id of the first plugin, in load order, that declared it restores this kind of
 * resource (STASIS_RESOURCE_*), or NULL when none did (or kind is NULL: the core's). */
const char *plugins_owner(const char *kind);

/* Set by the checkpoint thread: how a plugin reaches the coordinator. */
struct plugins_coordinator {
    int (*barrier)(const char *name);
    int (*publish)(const char *key, const void *value, size_t length);
    long (*lookup)(const char *key, void *value, size_t capacity);
};
void plugins_set_coordinator(const struct plugins_coordinator *coordinator);

#endif
