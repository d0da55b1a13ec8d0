/* system() and popen() around checkpoints: the shells they start are processes of
 * the computation too. Prints "N system ok popen ok". Usage: shell [limit] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : 20;
    for (long i = 0; i < limit; i++) {
        char command[64];
        snprintf(command, sizeof command, "sleep 0.2; exit %ld", i % 50);
        int status = system(command);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != i % 50) {
            printf("%ld system gave %d\n", i, status);
            return 1;
        }
        snprintf(command, sizeof command, "sleep 0.1; echo line %ld", i);
        FILE *p = popen(command, "r");
        char line[64] = "";
        if (!p || !fgets(line, sizeof line, p)) {
            printf("%ld popen gave nothing\n", i);
            return 1;
        }
        int closed = pclose(p);
        char expected[64];
        snprintf(expected, sizeof expected, "line %ld\n", i);
        if (strcmp(line, expected) != 0 || closed != 0) {
            printf("%ld popen gave \"%s\", pclose %d\n", i, line, closed);
            return 1;
        }
        printf("%ld system ok popen ok\n", i);
        fflush(stdout);
    }
    printf("done\n");
    return 0;
}
