/* Single-threaded counter: prints 0, 1, 2, … one per interval (default 100 ms)
 * up to an optional limit. Output must continue with no gap and no repeat
 * across checkpoint and restart. Usage: counter [limit] [interval_ms] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : -1;
    long interval_ms = argc > 2 ? atol(argv[2]) : 100;
    struct timespec pause = {interval_ms / 1000, (interval_ms % 1000) * 1000000L};
    for (long i = 0; limit < 0 || i < limit; i++) {
        printf("%ld\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("done\n");
    return 0;
}
