/* Spends nearly all its time inside sleep(3), so a checkpoint interrupts it there.
 * sleep() must neither return early nor fail after checkpoint or restart.
 * Prints "N slept" after each full sleep. Usage: sleeper [limit] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : -1;
    for (long i = 0; limit < 0 || i < limit; i++) {
        struct timespec before, after;
        clock_gettime(CLOCK_REALTIME, &before);
        unsigned left = sleep(3);
        clock_gettime(CLOCK_REALTIME, &after);
        /* wall-clock time spent includes time stopped or dead: never less than 3 s */
        double slept = (double)(after.tv_sec - before.tv_sec) + (after.tv_nsec - before.tv_nsec) / 1e9;
        if (left != 0 || slept < 2.99) {
            printf("%ld short sleep: left %u, slept %.3f s\n", i, left, slept);
            return 1;
        }
        printf("%ld slept\n", i);
        fflush(stdout);
    }
    printf("done\n");
    return 0;
}
