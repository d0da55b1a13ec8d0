/* A tree of six processes in three levels (root; children a and b; a's children
 * a1, a2 and b's child b1) passing a token with sigqueue() depth first, round
 * after round. Each process prints its ids when it starts and after every round it
 * sees: "ids <name> pid=… ppid=… pgid=… sid=…" must read the same before and after
 * a restart. b starts a process group of its own, which b1 joins. The root prints
 * "round N"; at the end everything is waited for, and the root prints "done".
 * Usage: tree [rounds] */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUIT (-1)

struct node {
    const char *name;
    pid_t parent;
    pid_t children[2];
    int child_count;
};

static void print_ids(const char *name)
{
    printf("ids %s pid=%d ppid=%d pgid=%d sid=%d\n", name, getpid(), getppid(), getpgid(0), getsid(0));
    fflush(stdout);
}

static int receive(void)
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    siginfo_t info;
    while (sigwaitinfo(&usr1, &info) < 0)
        if (errno != EINTR) {
            printf("sigwaitinfo failed: %s\n", strerror(errno));
            exit(1);
        }
    return info.si_value.sival_int;
}

static void send(pid_t to, int value)
{
    union sigval v = {.sival_int = value};
    if (sigqueue(to, SIGUSR1, v) < 0) {
        printf("sigqueue to %d failed: %s\n", to, strerror(errno));
        exit(1);
    }
}

/* Depth first: from the parent to each child in turn, back to the parent. */
static void serve(struct node *n)
{
    for (;;) {
        int token = receive();
        if (token == QUIT) {
            for (int c = 0; c < n->child_count; c++)
                send(n->children[c], QUIT);
            for (int c = 0; c < n->child_count; c++) {
                int status;
                if (waitpid(n->children[c], &status, 0) != n->children[c] || !WIFEXITED(status) ||
                    WEXITSTATUS(status) != 0) {
                    printf("%s: waitpid of %d failed\n", n->name, n->children[c]);
                    exit(1);
                }
            }
            exit(0);
        }
        for (int c = 0; c < n->child_count; c++) {
            send(n->children[c], token);
            if (receive() != token) {
                printf("%s: token out of order\n", n->name);
                exit(1);
            }
        }
        print_ids(n->name);
        send(n->parent, token);
    }
}

static pid_t spawn(struct node *parent, const char *name, const char *const *grandchildren, int count, int own_group)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    struct node n = {.name = name, .parent = getppid()};
    if (own_group)
        setpgid(0, 0);
    for (int i = 0; i < count; i++)
        n.children[n.child_count++] = spawn(&n, grandchildren[i], NULL, 0, 0);
    print_ids(name);
    serve(&n);
    return 0;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 20;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL); /* inherited: tokens wait until received */
    struct node root = {.name = "root", .parent = getppid()};
    static const char *const of_a[] = {"a1", "a2"}, *const of_b[] = {"b1"};
    root.children[root.child_count++] = spawn(&root, "a", of_a, 2, 0);
    root.children[root.child_count++] = spawn(&root, "b", of_b, 1, 1);
    print_ids("root");
    for (long r = 0; r < rounds; r++) {
        for (int c = 0; c < root.child_count; c++) {
            send(root.children[c], (int)r);
            if (receive() != (int)r) {
                printf("root: token out of order\n");
                return 1;
            }
        }
        printf("round %ld\n", r);
        print_ids("root");
        struct timespec t = {0, 150 * 1000000L};
        nanosleep(&t, NULL);
    }
    for (int c = 0; c < root.child_count; c++)
        send(root.children[c], QUIT);
    for (int c = 0; c < root.child_count; c++) {
        int status;
        if (waitpid(root.children[c], &status, 0) != root.children[c] || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            printf("root: child %d did not end well\n", root.children[c]);
            return 1;
        }
    }
    printf("done\n");
    return 0;
}
