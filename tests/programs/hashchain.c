/* A hash chain for batch-system tests: step i prints "i h(i)" where h(0) = seed
 * and h(i+1) = splitmix64(h(i) ^ i). Each line depends on every earlier one, so
 * a restart from the wrong state, a gap or a repeat shows in the output; the
 * test recomputes the chain. With MIB > 0 it first fills MIB MiB of memory with
 * incompressible data (folded into the chain), to make images of that size.
 * Usage: hashchain STEPS [INTERVAL_MS [MIB]] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: hashchain STEPS [INTERVAL_MS [MIB]]\n");
        return 2;
    }
    long steps = atol(argv[1]);
    long interval_ms = argc > 2 ? atol(argv[2]) : 100;
    long mib = argc > 3 ? atol(argv[3]) : 0;
    uint64_t h = 0x5354415349530000ULL; /* "STASIS" */
    uint64_t *ballast = NULL;
    size_t words = (size_t)mib * (1 << 20) / sizeof *ballast;
    if (words) {
        ballast = malloc(words * sizeof *ballast);
        if (!ballast) {
            fprintf(stderr, "hashchain: cannot allocate %ld MiB\n", mib);
            return 1;
        }
        uint64_t r = h;
        for (size_t i = 0; i < words; i++)
            ballast[i] = r = splitmix64(r);
    }
    struct timespec pause = {interval_ms / 1000, (interval_ms % 1000) * 1000000L};
    for (long i = 0; i < steps; i++) {
        if (ballast)
            h ^= ballast[(size_t)i % words];
        printf("%ld %016llx\n", i, (unsigned long long)h);
        fflush(stdout);
        h = splitmix64(h ^ (uint64_t)i);
        nanosleep(&pause, NULL);
    }
    printf("done %ld\n", steps);
    return 0;
}
