/* /proc with the program's ids: /proc/self/stat and /proc/<child>/status must name
 * the pids getpid() and fork() gave, before and after restart.
 * Prints "N proc ok". Usage: procids [limit] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long field_of_stat(const char *path, int field)
{
    FILE *f = fopen(path, "r");
    char line[1024] = "";
    if (!f || !fgets(line, sizeof line, f))
        return -1;
    fclose(f);
    if (field == 1)
        return atol(line);
    char *p = strrchr(line, ')');
    for (int i = 2; p && i < field; i++)
        p = strchr(p + 1, ' ');
    return p ? atol(p + 1) : -1;
}

static long status_value(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    char line[256];
    long value = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, strlen(key)) == 0)
            value = atol(line + strlen(key));
    if (f)
        fclose(f);
    return value;
}

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : 30;
    pid_t child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    char child_status[64];
    for (long i = 0; i < limit; i++) {
        snprintf(child_status, sizeof child_status, "/proc/%d/status", child);
        long self_pid = field_of_stat("/proc/self/stat", 1);
        long self_ppid = field_of_stat("/proc/self/stat", 4);
        long child_pid = status_value(child_status, "Pid:");
        long child_ppid = status_value(child_status, "PPid:");
        if (self_pid != getpid() || self_ppid != getppid() || child_pid != child || child_ppid != getpid()) {
            printf("%ld proc mismatch: stat pid %ld ppid %ld (getpid %d getppid %d), child %d status Pid %ld PPid %ld\n",
                   i, self_pid, self_ppid, getpid(), getppid(), child, child_pid, child_ppid);
            return 1;
        }
        printf("%ld proc ok\n", i);
        fflush(stdout);
        struct timespec t = {0, 100 * 1000000L};
        nanosleep(&t, NULL);
    }
    kill(child, SIGTERM);
    waitpid(child, NULL, 0);
    printf("done\n");
    return 0;
}
