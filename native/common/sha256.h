/* SHA-256 and HMAC-SHA256 for the coordinator's challenge-response (docs/protocol.md).
 * Small and dependency-free so libstasis needs no crypto library. */
#ifndef STASIS_SHA256_H
#define STASIS_SHA256_H
#include <stddef.h>
#include <stdint.h>

struct stasis_sha256 {
    uint32_t h[8];
    uint64_t length;
    unsigned char block[64];
    size_t used;
};

void stasis_sha256_init(struct stasis_sha256 *s);
void stasis_sha256_update(struct stasis_sha256 *s, const void *data, size_t len);
void stasis_sha256_final(struct stasis_sha256 *s, unsigned char out[32]);

/* message is the concatenation of parts[0..nparts) */
/* Overwrites n bytes in a way the compiler cannot drop as a dead store: for keys
 * and hash states that must not outlive their use (they would end up in images). */
void stasis_scrub(void *p, size_t n);
/* Overwrites the stack below the caller's frame, where the callees it returned
 * from left their locals (a hash's message schedule of a key block). */
void stasis_scrub_stack_below(void);
/* Leaves no trace of the key in its own frame; callers scrub below it. */
void stasis_hmac_sha256(const unsigned char *key, size_t key_len, const void *const *parts,
                        const size_t *part_lens, int nparts, unsigned char out[32]);

#endif
