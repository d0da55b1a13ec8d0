/* Children made every way a program makes them — fork, vfork + exec, posix_spawn,
 * clone — each alive for a while and waited for by its parent with waitpid(), so a
 * checkpoint usually finds one running. Every child must be part of the computation:
 * after a restart its parent still gets its exit status.
 * Prints "N <how> child exited with C". Usage: spawner [limit] */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD_MS 400

extern char **environ;

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static int sleep_then_return(void *code)
{
    sleep_ms(CHILD_MS);
    return (int)(long)code;
}

/* argv of a shell that sleeps, then exits with code */
static char **shell(long code, char *buffer, size_t size)
{
    static char *argv[4];
    snprintf(buffer, size, "sleep %.1f; exit %ld", CHILD_MS / 1000.0, code);
    argv[0] = "sh";
    argv[1] = "-c";
    argv[2] = buffer;
    argv[3] = NULL;
    return argv;
}

static pid_t start(int how, long code)
{
    char command[64];
    switch (how) {
    case 0: {
        pid_t pid = fork();
        if (pid == 0)
            _exit(sleep_then_return((void *)code));
        return pid;
    }
    case 1: {
        char **argv = shell(code, command, sizeof command);
        pid_t pid = vfork();
        if (pid == 0) {
            execve("/bin/sh", argv, environ);
            _exit(127);
        }
        return pid;
    }
    case 2: {
        pid_t pid;
        int r = posix_spawn(&pid, "/bin/sh", NULL, NULL, shell(code, command, sizeof command), environ);
        return r == 0 ? pid : -1;
    }
    default: {
        static char stack[256 * 1024] __attribute__((aligned(16)));
        return clone(sleep_then_return, stack + sizeof stack, SIGCHLD, (void *)code);
    }
    }
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"fork", "vfork", "posix_spawn", "clone"};
    long limit = argc > 1 ? atol(argv[1]) : 20;
    for (long i = 0; i < limit; i++) {
        int how = (int)(i % 4);
        long code = i % 100;
        pid_t child = start(how, code);
        if (child < 0) {
            printf("%ld %s gave no child: %s\n", i, names[how], strerror(errno));
            return 1;
        }
        int status;
        pid_t r;
        while ((r = waitpid(child, &status, 0)) < 0 && errno == EINTR)
            ;
        if (r != child || !WIFEXITED(status) || WEXITSTATUS(status) != code) {
            printf("%ld %s child: waitpid gave %d, status %#x (%s)\n", i, names[how], (int)r, status,
                   r < 0 ? strerror(errno) : "");
            return 1;
        }
        printf("%ld %s child exited with %d\n", i, names[how], WEXITSTATUS(status));
        fflush(stdout);
    }
    printf("done\n");
    return 0;
}
