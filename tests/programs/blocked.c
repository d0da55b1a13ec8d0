/* Threads blocked in the system calls the kernel does not restart after a signal
 * handler ran: poll (with and without a timeout) and select. A checkpoint
 * interrupts them with its signal; none may see EINTR, before or after restart.
 * The main thread feeds each one a byte now and then and counts: "N fed".
 * Usage: blocked [limit] */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

/* (epoll_wait too, once epoll descriptors survive restart: the files plugin) */
enum { POLL_FOREVER, POLL_TIMEOUT, SELECT, WAITERS };
static const char *const names[WAITERS] = {"poll", "poll-timeout", "select"};
static int pipes[WAITERS][2];

static void fail(int kind, const char *what)
{
    printf("%s failed: %s (%s)\n", names[kind], what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static void *waiter(void *arg)
{
    int kind = (int)(long)arg, fd = pipes[kind][0];
    for (;;) {
        int r;
        if (kind == POLL_FOREVER || kind == POLL_TIMEOUT) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            r = poll(&p, 1, kind == POLL_FOREVER ? -1 : 60000);
        } else {
            fd_set set;
            FD_ZERO(&set);
            FD_SET(fd, &set);
            r = select(fd + 1, &set, NULL, NULL, NULL);
        }
        if (r < 0)
            fail(kind, "wait");
        char c;
        if (r > 0 && read(fd, &c, 1) != 1)
            fail(kind, "read");
        if (c == 'q')
            return NULL;
    }
}

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : -1;
    pthread_t threads[WAITERS];
    /* a hole below the pipes: recreating a pipe at restart must not hand one end the
     * number where the other belongs */
    int hole = open("/dev/null", O_RDONLY);
    for (int k = 0; k < WAITERS; k++) {
        if (pipe(pipes[k]) < 0)
            return 1;
        pthread_create(&threads[k], NULL, waiter, (void *)(long)k);
    }
    close(hole);
    for (long i = 0; limit < 0 || i < limit; i++) {
        struct timespec t = {0, 300 * 1000000L};
        nanosleep(&t, NULL);
        /* mostly they wait: feed them only every few ticks */
        if (i % 5 == 4)
            for (int k = 0; k < WAITERS; k++)
                if (write(pipes[k][1], "x", 1) != 1)
                    return 1;
        printf("%ld fed\n", i);
        fflush(stdout);
    }
    for (int k = 0; k < WAITERS; k++) {
        if (write(pipes[k][1], "q", 1) != 1)
            return 1;
        pthread_join(threads[k], NULL);
    }
    printf("done\n");
    return 0;
}
