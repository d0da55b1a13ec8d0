/* A program that wants the checkpoint signal (SIGUSR2) for itself: it installs a
 * handler for it, blocks it in main, and runs a thread that blocks every signal.
 * Checkpoints must still reach every thread, and the program's own SIGUSR2 must
 * still reach its handler. Prints "N usr2 handled" each tick. Usage: sigckpt [limit] */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile sig_atomic_t handled;
static volatile unsigned long spins;

static void on_usr2(int sig)
{
    handled++;
}

static void *deaf(void *arg)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    for (;;)
        spins++;
    return NULL;
}

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : -1;
    struct sigaction sa = {.sa_handler = on_usr2};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR2, &sa, NULL);
    pthread_t thread;
    pthread_create(&thread, NULL, deaf, NULL);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    for (long i = 0; limit < 0 || i < limit; i++) {
        /* blocked while we work, delivered when we unblock */
        sigprocmask(SIG_BLOCK, &usr2, NULL);
        handled = 0;
        raise(SIGUSR2);
        sigprocmask(SIG_UNBLOCK, &usr2, NULL);
        printf("%ld usr2 %s\n", i, handled == 1 ? "handled" : "not handled");
        fflush(stdout);
        struct timespec t = {0, 100 * 1000000L};
        nanosleep(&t, NULL);
    }
    printf("done\n");
    return 0;
}
