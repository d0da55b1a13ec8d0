#include "image_sections.h"

#include <string.h>

#include "image_format.h"
#include "wire.h"

int img_find_section(const void *metadata, uint64_t length, uint32_t kind, int index, const void **payload,
                     uint64_t *payload_length)
{
    const unsigned char *p = metadata;
    uint64_t off = IMG_HEADER_SIZE;
    while (off + IMG_SECTION_HEADER_SIZE <= length) {
        uint32_t k = le32(p + off);
        uint64_t len = le64(p + off + 8);
        off += IMG_SECTION_HEADER_SIZE;
        if (k == IMG_SEC_MEMORY)
            return -1;
        if (len > length - off)
            return -1;
        if (k == kind && index-- == 0) {
            *payload = p + off;
            *payload_length = len;
            return 0;
        }
        off += len;
    }
    return -1;
}

int img_find_plugin_section(const void *metadata, uint64_t length, const char *id, const void **payload,
                            uint64_t *payload_length)
{
    const void *section;
    uint64_t section_length;
    for (int i = 0; img_find_section(metadata, length, IMG_SEC_PLUGIN, i, &section, &section_length) == 0; i++) {
        struct rbuf r;
        char name[128];
        rb_init(&r, section, section_length);
        rb_str(&r, name, sizeof name);
        rb_u32(&r);
        if (!r.error && strcmp(name, id) == 0) {
            *payload = (const unsigned char *)section + r.pos;
            *payload_length = section_length - r.pos;
            return 0;
        }
    }
    return -1;
}
