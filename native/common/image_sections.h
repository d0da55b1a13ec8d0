/* Finding sections in the metadata part of an image (everything before MEMORY),
 * without allocating: used by libstasis at restart and by stasis-restart. */
#ifndef STASIS_IMAGE_SECTIONS_H
#define STASIS_IMAGE_SECTIONS_H

#include <stdint.h>

/* The index-th section of this kind (0 = first). 0 found, -1 not found/malformed. */
int img_find_section(const void *metadata, uint64_t length, uint32_t kind, int index, const void **payload,
                     uint64_t *payload_length);
/* The PLUGIN section of plugin `id`, its payload after the id and version. */
int img_find_plugin_section(const void *metadata, uint64_t length, const char *id, const void **payload,
                            uint64_t *payload_length);

#endif
