/* Four workers pass a counter around under a mutex and a condition variable:
 * worker i prints the counter when counter % 4 == i, so the output is 0, 1, 2, …
 * and continues with no gap or repeat across checkpoint and restart. Around them,
 * threads in the states a checkpoint must catch: one blocked in read() on a pipe,
 * one spinning, one holding an error-checking mutex across sleeps; the main thread
 * pokes a worker with pthread_kill(). At the end everything is joined.
 * Usage: threads4 [limit] [interval_ms] */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t checked;            /* PTHREAD_MUTEX_ERRORCHECK */
static long counter, limit = -1, interval_ms = 100;
static int pipe_fds[2];
static volatile unsigned long spins;
static volatile sig_atomic_t pokes;
static volatile int stop;

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static void on_poke(int sig)
{
    (void)sig;
    pokes++;
}

static void *worker(void *arg)
{
    long me = (long)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (counter % 4 != me && !stop)
            pthread_cond_wait(&turn, &lock);
        if (stop)
            break;
        printf("%ld\n", counter);
        fflush(stdout);
        counter++;
        if (limit >= 0 && counter >= limit)
            stop = 1;
        pthread_cond_broadcast(&turn);
        pthread_mutex_unlock(&lock);
        sleep_ms(interval_ms);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return (void *)me;
}

static void *pipe_reader(void *arg)
{
    (void)arg;
    char c;
    long got = 0;
    while (read(pipe_fds[0], &c, 1) == 1 && c != 'q')
        got++;
    return (void *)got;
}

static void *spinner(void *arg)
{
    (void)arg;
    while (!stop)
        spins++;
    return NULL;
}

/* Holds an error-checking mutex most of the time: a checkpoint is likely to find
 * it locked, and unlocking it after restart must still succeed. */
static void *holder(void *arg)
{
    (void)arg;
    while (!stop) {
        int r = pthread_mutex_lock(&checked);
        if (r) {
            printf("errorcheck lock failed: %s\n", strerror(r));
            exit(1);
        }
        sleep_ms(50);
        r = pthread_mutex_unlock(&checked);
        if (r) {
            printf("errorcheck unlock failed: %s\n", strerror(r));
            exit(1);
        }
        sleep_ms(1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        limit = atol(argv[1]);
    if (argc > 2)
        interval_ms = atol(argv[2]);
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&checked, &attr);
    signal(SIGUSR1, on_poke);
    if (pipe(pipe_fds) < 0)
        return 1;
    pthread_t workers[4], reader, spin, hold;
    for (long i = 0; i < 4; i++)
        pthread_create(&workers[i], NULL, worker, (void *)i);
    pthread_create(&reader, NULL, pipe_reader, NULL);
    pthread_create(&spin, NULL, spinner, NULL);
    pthread_create(&hold, NULL, holder, NULL);
    long sent = 0;
    while (!stop) {
        sleep_ms(200);
        if (write(pipe_fds[1], "x", 1) == 1)
            sent++;
        int r = pthread_kill(workers[1], SIGUSR1);
        if (r) {
            printf("pthread_kill failed: %s\n", strerror(r));
            return 1;
        }
    }
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(workers[i], &ret);
        if ((long)ret != i) {
            printf("worker %d returned %ld\n", i, (long)ret);
            return 1;
        }
    }
    if (write(pipe_fds[1], "q", 1) != 1) {
        printf("write to the pipe failed: %s\n", strerror(errno));
        return 1;
    }
    void *got;
    pthread_join(reader, &got);
    pthread_join(spin, NULL);
    pthread_join(hold, NULL);
    printf("joined: pipe %ld/%ld bytes, %s, %s\n", (long)got, sent, spins ? "spun" : "never spun",
           pokes ? "poked" : "never poked");
    printf("done\n");
    return (long)got == sent ? 0 : 1;
}
