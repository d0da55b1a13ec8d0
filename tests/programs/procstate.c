/* Process state that is not memory: after a restart it must be what it was.
 * Sets a signal handler (SA_SIGINFO, own mask), a blocked signal, an alternate
 * signal stack, a working directory, a umask, an open file at an offset (O_APPEND
 * and not), a dup of it, an interval timer, and grows the heap with sbrk. Each tick
 * prints one line describing all of it; the line must not change across restart,
 * and handlers, brk growth and the timer must keep working.
 * Usage: procstate DIR [limit] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_seen, alarms_seen;
static volatile uintptr_t handler_stack;

static void on_usr1(int sig, siginfo_t *info, void *uc)
{
    int here;
    handler_stack = (uintptr_t)&here;
    usr1_seen++;
}

static void on_alarm(int sig)
{
    alarms_seen++;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    long limit = argc > 2 ? atol(argv[2]) : -1;
    mkdir(argv[1], 0700);
    if (chdir(argv[1]) < 0)
        return 2;
    umask(027);
    static char altstack[64 * 1024];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGALRM, on_alarm);
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGHUP);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    struct itimerval every = {{0, 200000}, {0, 200000}};
    setitimer(ITIMER_REAL, &every, NULL);

    int data = open("data.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int log = open("log.txt", O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0644);
    if (data < 0 || log < 0 || write(data, "0123456789abcdef", 16) != 16)
        return 2;
    lseek(data, 10, SEEK_SET);
    int shared = dup(data);
    char *heap_start = sbrk(0);
    for (long i = 0; limit < 0 || i < limit; i++) {
        /* grow the heap by a page each tick: brk must still work after restart */
        char *page = sbrk(4096);
        if (page == (void *)-1) {
            printf("%ld sbrk failed\n", i);
            return 1;
        }
        page[4095] = 1;
        sigset_t now;
        sigprocmask(SIG_BLOCK, NULL, &now);
        stack_t ss_now;
        sigaltstack(NULL, &ss_now);
        struct sigaction sa_now;
        sigaction(SIGUSR1, NULL, &sa_now);
        char cwd[256];
        mode_t mask = umask(0);
        umask(mask);
        off_t at = lseek(shared, 0, SEEK_CUR);
        int append = (fcntl(log, F_GETFL) & O_APPEND) != 0;
        usr1_seen = 0;
        raise(SIGUSR1);
        int on_altstack = handler_stack >= (uintptr_t)altstack && handler_stack < (uintptr_t)altstack + sizeof altstack;
        dprintf(log, "%ld\n", i);
        printf("state cwd=%s umask=%03o hup_blocked=%d altstack=%d handler=%d mask_has_term=%d on_altstack=%d "
               "offset=%ld shared_offset=%d append=%d heap_grows=%d\n",
               getcwd(cwd, sizeof cwd) ? cwd : "?", mask, sigismember(&now, SIGHUP),
               ss_now.ss_sp == altstack && ss_now.ss_size == sizeof altstack, usr1_seen == 1,
               sigismember(&sa_now.sa_mask, SIGTERM), on_altstack, (long)at,
               lseek(data, 0, SEEK_CUR) == at, append, (char *)sbrk(0) - heap_start == (i + 1) * 4096);
        printf("%ld alarms=%s\n", i, alarms_seen > 0 ? "yes" : "no");
        fflush(stdout);
        alarms_seen = 0;
        struct timespec t = {0, 300 * 1000000L};
        while (nanosleep(&t, &t) < 0)
            ;
    }
    printf("done\n");
    return 0;
}
