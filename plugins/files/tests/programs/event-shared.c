/* Event descriptors a parent and its child share through fork, still shared after
 * restart: the parent pings the child through one eventfd (semaphore mode, the
 * child blocks in read), the child answers through another with the round plus
 * one, and the parent waits for the answer in an epoll instance made before the
 * fork (so the child holds it too). Each round is one "round N" line; an answer
 * that does not come within 2 s (a copy instead of the shared one) is a failure.
 * Usage: event-shared [rounds] */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static int child(int ping, int pong, long rounds)
{
    for (long r = 0; r < rounds; r++) {
        uint64_t one;
        if (read(ping, &one, sizeof one) != sizeof one || one != 1) {
            printf("failed: child read from the ping eventfd\n");
            return 1;
        }
        uint64_t answer = (uint64_t)r + 1;
        if (write(pong, &answer, sizeof answer) != sizeof answer) {
            printf("failed: child write to the pong eventfd\n");
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 100;
    int ping = eventfd(0, EFD_SEMAPHORE | EFD_CLOEXEC);
    int pong = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x706f6e67}; /* "pong" */
    if (ping < 0 || pong < 0 || ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, pong, &ev) < 0) {
        printf("failed: set up\n");
        return 1;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("failed: fork\n");
        return 1;
    }
    if (pid == 0)
        return child(ping, pong, rounds);
    for (long r = 0; r < rounds; r++) {
        uint64_t one = 1;
        if (write(ping, &one, sizeof one) != sizeof one) {
            printf("failed: write to the ping eventfd\n");
            return 1;
        }
        struct epoll_event got;
        int n;
        do
            n = epoll_wait(ep, &got, 1, 2000);
        while (n < 0 && errno == EINTR);
        uint64_t answer = 0;
        if (n != 1 || got.data.u64 != 0x706f6e67 || read(pong, &answer, sizeof answer) != sizeof answer) {
            printf("failed: no answer from the child in round %ld\n", r);
            return 1;
        }
        if (answer != (uint64_t)r + 1) {
            printf("failed: round %ld answered %llu\n", r, (unsigned long long)answer);
            return 1;
        }
        printf("round %ld\n", r);
        fflush(stdout);
        sleep_ms(50);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("failed: the child did not end well\n");
        return 1;
    }
    printf("done\n");
    return 0;
}
