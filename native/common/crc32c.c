#include "crc32c.h"

#include <cpuid.h>
#include <string.h>

#define POLY_REFLECTED 0x82F63B78u

/* Built at first use; a race between two first users computes the same table twice. */
static struct crc_tables {
    uint32_t table[256];
    int ready;    /* 0 unknown, 1 software, 2 hardware */
} crc_tables;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ POLY_REFLECTED : c >> 1;
        crc_tables.table[i] = c;
    }
    unsigned a, b, c, d;
    int hw = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2);
    __atomic_store_n(&crc_tables.ready, hw ? 2 : 1, __ATOMIC_RELEASE);
}

static uint32_t crc_software(uint32_t crc, const unsigned char *p, size_t len)
{
    while (len--)
        crc = crc_tables.table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return crc;
}

__attribute__((target("sse4.2")))
static uint32_t crc_hardware(uint32_t crc, const unsigned char *p, size_t len)
{
    uint64_t c = crc;
    while (len && ((uintptr_t)p & 7)) {
        c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
        len--;
    }
    while (len >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
        p += 8;
        len -= 8;
    }
    while (len--)
        c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
    return (uint32_t)c;
}

uint32_t stasis_crc32c(uint32_t crc, const void *data, size_t len)
{
    int ready = __atomic_load_n(&crc_tables.ready, __ATOMIC_ACQUIRE);
    if (!ready) {
        crc_init();
        ready = crc_tables.ready;
    }
    crc = ~crc;
    crc = ready == 2 ? crc_hardware(crc, data, len) : crc_software(crc, data, len);
    return ~crc;
}
