/* The cost of the calls pid-virt wraps: N rounds of getpid() and kill(getpid(), 0),
 * timed with CLOCK_MONOTONIC; prints "ns-per-round X". Usage: idloop [rounds] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 10000000;
    struct timespec a, b;
    long sum = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < rounds; i++) {
        pid_t pid = getpid();
        sum += pid + kill(pid, 0);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)rounds;
    printf("ns-per-round %.1f (%ld)\n", ns, sum % 2);
    return 0;
}
