/* CRC-32C (Castagnoli): the checksum of every image block and of the image file.
 * Hardware (SSE4.2 crc32) when the CPU has it, a table otherwise; both give the
 * same values as java.util.zip.CRC32C. Async-signal-safe, no allocation. */
#ifndef STASIS_CRC32C_H
#define STASIS_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: start with crc = 0, feed pieces in order. */
uint32_t stasis_crc32c(uint32_t crc, const void *data, size_t len);

#endif
