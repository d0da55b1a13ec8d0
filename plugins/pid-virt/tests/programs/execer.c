/* A program that execs a second one, which is then checkpointed: the process keeps
 * its pid through the exec and through the restart. Prints "exec pid=P", then the
 * second program prints "N pid=P". Usage: execer [limit] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--after-exec") == 0) {
        long limit = atol(argv[2]);
        for (long i = 0; i < limit; i++) {
            printf("%ld pid=%d\n", i, getpid());
            fflush(stdout);
            struct timespec t = {0, 100 * 1000000L};
            nanosleep(&t, NULL);
        }
        printf("done\n");
        return 0;
    }
    printf("exec pid=%d\n", getpid());
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "--after-exec", argc > 1 ? argv[1] : "40", (char *)NULL);
    perror("exec failed");
    return 1;
}
