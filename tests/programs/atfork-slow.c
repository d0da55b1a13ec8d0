/* A fork whose child is slow to come out of fork(): a pthread_atfork() child handler
 * (a library reopening its log, say) takes 2 s. A checkpoint asked for meanwhile
 * finds the parent inside fork() and its child not yet part of the computation; it
 * must still end up with the child, or after restart the parent's waitpid() finds
 * no child. Prints "N forking" before each fork (a checkpoint lands in that fork),
 * then "N child exited with C". Usage: atfork-slow [limit] */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "wait_child.h"

#define HANDLER_MS 2000
#define CHILD_MS 300

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static void slow_child_handler(void)
{
    sleep_ms(HANDLER_MS);
}

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : 4;
    if (pthread_atfork(NULL, NULL, slow_child_handler) != 0)
        return 1;
    for (long i = 0; i < limit; i++) {
        printf("%ld forking\n", i);
        fflush(stdout);
        pid_t child = fork();
        if (child < 0)
            return 1;
        if (child == 0) {
            sleep_ms(CHILD_MS);
            _exit((int)(i % 100));
        }
        if (wait_child(i, child, (int)(i % 100)) < 0)
            return 1;
    }
    printf("done\n");
    return 0;
}
