/* A process with a lot of memory: `mib` MiB of which half is random (does not
 * compress) and half is text (compresses well), plus 1 MiB on main's stack. Each
 * tick re-verifies the checksum of everything and prints "N ok <checksum>", so a
 * restored process proves every page came back. The text is word salad, or with
 * "prose" one paragraph repeated (the benchmark's text: gzip shrinks it ~100x).
 * With DUMPFILE the buffer is also written there once (the benchmark compresses
 * the same bytes with the lz4 command as a baseline).
 * Usage: bigmem [mib] [limit] [words|prose] [DUMPFILE] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t checksum(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    const uint64_t *w = (const uint64_t *)p;
    for (size_t i = 0; i < n / 8; i++)
        h = (h ^ w[i]) * 1099511628211ull;
    return h;
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 512;
    long limit = argc > 2 ? atol(argv[2]) : -1;
    size_t size = mib << 20;
    unsigned char *mem = malloc(size);
    unsigned char stack_array[1 << 20];
    if (!mem)
        return 1;
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < size / 2; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(mem + i, &x, 8);
    }
    static const char *const words[] = {"checkpoint ", "restart ", "process ", "memory ", "image ", "thread ",
                                        "coordinator ", "barrier\n"};
    static const char prose[] =
        "It is what DMTCP is, rebuilt to be faster, safer and easier to extend: a user runs a program, later "
        "asks for a checkpoint, and can kill the job and restart it from the images, on this host or another, "
        "and it continues as if nothing happened.\n";
    int repeat_prose = argc > 3 && strcmp(argv[3], "prose") == 0;
    size_t at = size / 2;
    for (unsigned k = 0; at < size; k = k * 1103515245 + 12345) {
        const char *w = repeat_prose ? prose : words[(k >> 16) % 8];
        size_t n = strlen(w);
        if (at + n > size)
            n = size - at;
        memcpy(mem + at, w, n);
        at += n;
    }
    for (size_t i = 0; i < sizeof stack_array; i++)
        stack_array[i] = (unsigned char)(i * 7 + 3);
    if (argc > 4) {
        FILE *dump = fopen(argv[4], "wb");
        if (!dump || fwrite(mem, 1, size, dump) != size || fclose(dump) != 0)
            return 1;
    }
    const uint64_t expected = checksum(mem, size), expected_stack = checksum(stack_array, sizeof stack_array);
    printf("ready %zu MiB %016llx\n", mib, (unsigned long long)expected);
    fflush(stdout);
    for (long i = 0; limit < 0 || i < limit; i++) {
        uint64_t now = checksum(mem, size), now_stack = checksum(stack_array, sizeof stack_array);
        if (now != expected || now_stack != expected_stack) {
            printf("%ld CORRUPT %016llx %016llx\n", i, (unsigned long long)now, (unsigned long long)now_stack);
            return 1;
        }
        printf("%ld ok %016llx\n", i, (unsigned long long)now);
        fflush(stdout);
        struct timespec t = {0, 100 * 1000000L};
        nanosleep(&t, NULL);
    }
    printf("done\n");
    return 0;
}
