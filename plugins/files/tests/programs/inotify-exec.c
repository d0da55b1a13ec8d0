/* An inotify instance that outlives an exec: the program adds watches (wd 1
 * removed, wd 2 kept on a directory it named by a relative path), execs itself,
 * and the new program, which never saw a path, waits for the checkpoint and
 * restart; then the watch still reports with wd 2 and the next watch gets wd 3.
 * Usage: inotify-exec WORKDIR [wait_ms]  (inotify-exec --after FD WD DIR wait_ms
 * is the exec'ed half) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR)
        ;
}

static int after_exec(int in, int wd, const char *dir, long wait_ms)
{
    printf("ready\n");
    fflush(stdout);
    sleep_ms(wait_ms);
    char buf[4096] __attribute__((aligned(8)));
    while (read(in, buf, sizeof buf) > 0)
        ; /* whatever came before: only the event below counts */
    char file[600];
    snprintf(file, sizeof file, "%s/x", dir);
    int fd = open(file, O_CREAT | O_WRONLY, 0600);
    if (fd < 0 || close(fd) < 0 || unlink(file) < 0) {
        printf("failed: cannot create %s\n", file);
        return 1;
    }
    sleep_ms(50);
    ssize_t len = read(in, buf, sizeof buf);
    int seen = 0;
    for (char *p = buf; len > 0 && p < buf + len;) {
        struct inotify_event *e = (struct inotify_event *)p;
        seen |= e->wd == wd && (e->mask & IN_CREATE) && strcmp(e->name, "x") == 0;
        p += sizeof *e + e->len;
    }
    printf("%s watch inherited through exec reports with wd %d\n", seen ? "ok" : "failed:", wd);
    int next = inotify_add_watch(in, "/", IN_CREATE);
    printf("%s next wd %d (expected %d)\n", next == wd + 1 ? "ok" : "failed:", next, wd + 1);
    printf("done\n");
    return seen && next == wd + 1 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--after") == 0)
        return after_exec(atoi(argv[2]), atoi(argv[3]), argv[4], atol(argv[5]));
    if (argc < 2) {
        fprintf(stderr, "usage: inotify-exec WORKDIR [wait_ms]\n");
        return 2;
    }
    char dir[512], gone[600];
    snprintf(dir, sizeof dir, "%s/inotify-exec", argv[1]);
    snprintf(gone, sizeof gone, "%s/gone", dir);
    mkdir(dir, 0700);
    mkdir(gone, 0700);
    int in = inotify_init1(IN_NONBLOCK); /* not close-on-exec: the new program inherits it */
    int first = inotify_add_watch(in, gone, IN_CREATE);
    if (chdir(argv[1]) < 0)
        return 1;
    int wd = inotify_add_watch(in, "inotify-exec", IN_CREATE);
    if (in < 0 || first != 1 || wd != 2 || inotify_rm_watch(in, first) < 0) {
        printf("failed: set up (wds %d %d)\n", first, wd);
        return 1;
    }
    char fd_text[16], wd_text[16];
    snprintf(fd_text, sizeof fd_text, "%d", in);
    snprintf(wd_text, sizeof wd_text, "%d", wd);
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "--after", fd_text, wd_text, dir, argc > 2 ? argv[2] : "4000", (char *)NULL);
    printf("failed: exec: %s\n", strerror(errno));
    return 1;
}
