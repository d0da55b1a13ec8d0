#include "spawn_notify.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

#include "../common/sys.h"
#include "config.h"
#include "fmt.h"
#include "log.h"

int spawn_notify_open(struct spawn_notify *n)
{
    int ends[2];
    long r = sys2(SYS_pipe2, (long)ends, O_CLOEXEC);
    if (r < 0)
        return (int)r;
    /* the write end must survive the child's exec (and only that exec: it is
     * closed here as soon as the spawn returns) */
    struct stat st;
    if (sys3(SYS_fcntl, ends[1], F_SETFD, 0) < 0 || sys2(SYS_fstat, ends[1], (long)&st) < 0) {
        sys1(SYS_close, ends[0]);
        sys1(SYS_close, ends[1]);
        return -EBADF;
    }
    n->read_end = ends[0];
    n->write_end = ends[1];
    stasis_fmt(n->value, sizeof n->value, "%d:%lu", ends[1], (unsigned long)st.st_ino);
    return 0;
}

void spawn_notify_wait(struct spawn_notify *n, int spawned, int timeout_ms)
{
    sys1(SYS_close, n->write_end);
    if (spawned) {
        struct pollfd p = {.fd = n->read_end, .events = POLLIN};
        char word = 0;
        long r;
        while ((r = sys3(SYS_poll, (long)&p, 1, timeout_ms)) == -EINTR)
            ;
        if (r == 1)
            sys3(SYS_read, n->read_end, (long)&word, 1);
        else
            LOG_WARN("a spawned program did not register with the coordinator in %d ms", timeout_ms);
    }
    sys1(SYS_close, n->read_end);
}

void spawn_notify_parent(int registered)
{
    const char *value = config_saved_variable(SPAWN_NOTIFY_VARIABLE);
    if (!value)
        return;
    long fd = 0;
    unsigned long inode = 0;
    const char *p = value;
    for (; *p >= '0' && *p <= '9'; p++)
        fd = fd * 10 + (*p - '0');
    if (*p++ != ':')
        return;
    for (; *p >= '0' && *p <= '9'; p++)
        inode = inode * 10 + (unsigned long)(*p - '0');
    struct stat st;
    if (sys2(SYS_fstat, fd, (long)&st) < 0 || !S_ISFIFO(st.st_mode) || st.st_ino != inode)
        return; /* the file actions closed or replaced it: not ours any more */
    sys3(SYS_write, fd, (long)(registered ? "r" : "n"), 1);
    sys1(SYS_close, fd);
}
