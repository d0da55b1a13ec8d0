/* Internal STASIS_* variables must never be visible to the program: not at start,
 * not after restart. Prints "N clean" or "N leaked NAME" each tick. Usage: envcheck [limit] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : -1;
    for (long i = 0; limit < 0 || i < limit; i++) {
        const char *leaked = NULL;
        for (char **e = environ; *e && !leaked; e++)
            if (strncmp(*e, "STASIS_", 7) == 0)
                leaked = *e;
        if (leaked)
            printf("%ld leaked %.*s\n", i, (int)strcspn(leaked, "="), leaked);
        else
            printf("%ld clean\n", i);
        fflush(stdout);
        struct timespec t = {0, 100 * 1000000L};
        nanosleep(&t, NULL);
    }
    printf("done\n");
    return 0;
}
