/* Parent and child of a fork take turns through a token passed on two pipes:
 * turn(i, "dad") for even i, turn(i, "kid") for odd i, each number printed once
 * its turn is done. Shared by the programs that check something parent and child
 * share stays shared across a restart. */
#ifndef TAKE_TURNS_H
#define TAKE_TURNS_H

#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int pass(int out, int in, long *token)
{
    if (out >= 0 && write(out, token, sizeof *token) != sizeof *token)
        return -1;
    if (in >= 0) {
        ssize_t n;
        while ((n = read(in, token, sizeof *token)) < 0 && errno == EINTR)
            ;
        return n == sizeof *token ? 0 : -1;
    }
    return 0;
}

/* 0 when every turn up to limit was taken and the child ended well, else 1
 * (with a line saying why). */
static int take_turns(long limit, int (*turn)(long i, const char *who))
{
    int down[2], up[2];
    if (pipe(down) < 0 || pipe(up) < 0) {
        perror("pipe");
        return 1;
    }
    struct timespec pause = {0, 20 * 1000000L};
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    if (child == 0) {
        close(down[1]);
        close(up[0]);
        for (long token; pass(-1, down[0], &token) == 0 && token >= 0;) {
            if (turn(token, "kid") < 0)
                _exit(1);
            pass(up[1], -1, &token);
        }
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    for (long i = 0; i < limit; i += 2) {
        if (turn(i, "dad") < 0)
            return 1;
        printf("%ld\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
        long token = i + 1;
        if (i + 1 < limit) {
            if (pass(down[1], up[0], &token) < 0 || token != i + 1) {
                printf("failed: the child did not give the token back\n");
                return 1;
            }
            printf("%ld\n", i + 1);
            fflush(stdout);
            nanosleep(&pause, NULL);
        }
    }
    long stop = -1;
    pass(down[1], -1, &stop);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("failed: the child did not end well\n");
        return 1;
    }
    return 0;
}

#endif
