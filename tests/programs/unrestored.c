/* Holds what no plugin restores yet, then counts: a TCP loopback connection to
 * itself, an attached SysV shared memory segment, a pty master and its slave
 * (posix_openpt), a pidfd (a descriptor kind nobody restores) and a child made by
 * forkpty() (libc's own fork, behind libstasis's back). `stasis checkpoint` must
 * name each one.
 * Usage: unrestored N DELAY_MS   prints "ready" once everything is held, then 1..N. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* a connected pair over 127.0.0.1, port chosen by the kernel */
static void hold_tcp(void)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof a;
    if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) < 0 || listen(listener, 1) < 0 ||
        getsockname(listener, (struct sockaddr *)&a, &length) < 0)
        die("listen");
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (client < 0 || connect(client, (struct sockaddr *)&a, sizeof a) < 0)
        die("connect");
    if (accept(listener, NULL, NULL) < 0)
        die("accept");
}

static void hold_sysv_shm(void)
{
    int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    if (id < 0)
        die("shmget");
    if (shmat(id, NULL, 0) == (void *)-1)
        die("shmat");
    shmctl(id, IPC_RMID, NULL); /* gone with the process */
}

static void hold_pty(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
        die("posix_openpt");
    if (open(ptsname(master), O_RDWR | O_NOCTTY) < 0)
        die("open pts");
}

static void hold_pidfd(void)
{
    if (syscall(SYS_pidfd_open, getpid(), 0) < 0)
        die("pidfd_open");
}

static void fork_on_pty(void)
{
    int master;
    pid_t child = forkpty(&master, NULL, NULL, NULL);
    if (child < 0)
        die("forkpty");
    if (child == 0) {
        for (;;)
            pause(); /* killed with its parent's process group, or by the test */
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: unrestored N DELAY_MS\n");
        return 2;
    }
    long n = atol(argv[1]), delay_ms = atol(argv[2]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGHUP, SIG_IGN); /* the forkpty child's session ending must not stop us */
    hold_tcp();
    hold_sysv_shm();
    hold_pty();
    hold_pidfd();
    fork_on_pty();
    printf("ready\n");
    struct timespec pause_for = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
    for (long i = 1; n < 0 || i <= n; i++) {
        printf("%ld\n", i);
        nanosleep(&pause_for, NULL);
    }
    printf("done\n");
    return 0;
}
