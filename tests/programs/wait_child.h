/* The parent's side of the programs that fork a child and wait for it (waiter,
 * atfork-slow): waitpid() for the child, which must have exited with code. Prints
 * "N child exited with C", or what waitpid() gave instead (their descriptions
 * forbid "gave"). 0, or -1 when it was not so. */
#ifndef WAIT_CHILD_H
#define WAIT_CHILD_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static int wait_child(long i, pid_t child, int code)
{
    int status;
    pid_t got = waitpid(child, &status, 0);
    if (got != child || !WIFEXITED(status) || WEXITSTATUS(status) != code) {
        printf("%ld waitpid(%d) gave %d, status %d: %s\n", i, child, got, status, strerror(errno));
        return -1;
    }
    printf("%ld child exited with %d\n", i, WEXITSTATUS(status));
    fflush(stdout);
    return 0;
}

#endif
