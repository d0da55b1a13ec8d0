/* The golden image: a small synthetic image written by the C writer with fixed
 * contents, committed as tests/golden/synthetic-v1.stasis and read by the C reader
 * (test_golden) and the Java reader (core-api's golden test). */
#ifndef STASIS_GOLDEN_H
#define STASIS_GOLDEN_H

#define GOLDEN_NAME "synthetic-v1.stasis"
#define GOLDEN_GENERATION 7
#define GOLDEN_CREATED_MS 1790000000000ull
#define GOLDEN_HEAP 0x555555560000ull
#define GOLDEN_STACK 0x7ffffffde000ull

/* Write the golden image into dir; 0 or -errno. */
int golden_write(const char *dir);

#endif
