/* A parent blocked in waitpid() while its child lives: a checkpoint usually finds
 * them so, and after restart the parent must still get the child's exit status.
 * Every other child is left a zombie for a while before it is waited for.
 * Prints "N child exited with C". Usage: waiter [limit] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "wait_child.h"

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : 20;
    for (long i = 0; i < limit; i++) {
        pid_t child = fork();
        if (child < 0)
            return 1;
        if (child == 0) {
            sleep_ms(i % 2 ? 100 : 700);
            _exit((int)(i % 100));
        }
        if (i % 2)
            sleep_ms(500); /* the child is a zombie meanwhile */
        if (wait_child(i, child, (int)(i % 100)) < 0)
            return 1;
    }
    printf("done\n");
    return 0;
}
