/* Which of its descriptors are on a terminal, every 100 ms: 0, 1 and 2 as started,
 * and 5, a dup of 1 above the standard three. Run on a terminal, checkpointed and
 * restarted on another terminal, every one must still be on one (the restarting
 * command's): "tick N tty 0:y 1:y 2:y 5:y".
 * Usage: ttycheck [ticks] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static char on_tty(int fd)
{
    return isatty(fd) ? 'y' : 'n';
}

int main(int argc, char **argv)
{
    long ticks = argc > 1 ? atol(argv[1]) : 60;
    if (dup2(1, 5) != 5) {
        perror("dup2");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    struct timespec pause = {0, 100 * 1000 * 1000};
    for (long i = 1; i <= ticks; i++) {
        printf("tick %ld tty 0:%c 1:%c 2:%c 5:%c\n", i, on_tty(0), on_tty(1), on_tty(2), on_tty(5));
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("done\n");
    return 0;
}
