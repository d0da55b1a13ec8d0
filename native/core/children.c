#include "children.h"

#include <sys/wait.h>

#include "../common/image_format.h"
#include "fmt.h"
#include "idmap.h"
#include "procfs.h"

struct child_list {
    struct wbuf *out;
    uint32_t count;
};

/* field 52 of /proc/<pid>/stat: a zombie's exit code, in waitpid() form */
static void add_child(struct child_list *l, long pid)
{
    char path[64], stat[1024];
    stasis_fmt(path, sizeof path, "/proc/%ld/stat", pid);
    if (procfs_read(path, stat, sizeof stat) <= 0)
        return;
    const char *state = procfs_stat_field(stat, 3);
    const char *code = procfs_stat_field(stat, 52);
    struct img_child c = {
        .pid = (uint32_t)idmap_to_virtual((int)pid),
        .state = state && *state == 'Z' ? IMG_CHILD_ZOMBIE : IMG_CHILD_RUNNING,
        .exit_status = code ? (int32_t)procfs_dec(&code) : 0,
    };
    img_encode_child(l->out, &c);
    l->count++;
}

struct each_child {
    void (*fn)(long pid, void *arg);
    void *arg;
};

static int each_child_of_task(long tid, void *arg)
{
    struct each_child *e = arg;
    char path[64], list[4096];
    stasis_fmt(path, sizeof path, "/proc/self/task/%ld/children", tid);
    if (procfs_read(path, list, sizeof list) <= 0)
        return 0;
    for (const char *p = list; *p;) {
        long pid = (long)procfs_dec(&p);
        if (pid > 0)
            e->fn(pid, e->arg);
        while (*p == ' ' || *p == '\n')
            p++;
        if (*p && (*p < '0' || *p > '9'))
            break;
    }
    return 0;
}

void children_each(void (*fn)(long pid, void *arg), void *arg)
{
    struct each_child e = {fn, arg};
    procfs_each_number("/proc/self/task", each_child_of_task, &e);
}

static void add_child_to_list(long pid, void *arg)
{
    add_child(arg, pid);
}

int children_encode(struct wbuf *out)
{
    size_t count_at = out->len;
    struct child_list l = {out, 0};
    wb_u32(out, 0);
    children_each(add_child_to_list, &l);
    wb_put_u32_at(out, count_at, l.count);
    return out->overflow ? -1 : 0;
}
