#include "tree.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/image_format.h"
#include "../common/image_sections.h"
#include "../common/path_map.h"
#include "../common/sys.h"

#define MAX_CHILDREN 4096

struct node {
    struct image *img;
    const char *path;
    int pid, ppid, pgid, sid;        /* as the program knew them */
    int parent;                      /* index, -1 for a root */
    struct img_child zombies[64];
    int zombie_count;
};

/* Memory every process of the restart shares (MAP_SHARED): the pid table and the
 * barrier before the point of no return. */
struct shared_area {
    volatile int ready, failed;
    int total;
    volatile int pid_count;
    int failed_pid;                 /* who said why (and printed it already) */
    char why[1024];
    struct stasis_restart_pid pids[];
};

struct tree {
    struct node *nodes;
    int count;
    struct shared_area *shared;
    int pid_capacity;
    struct stasis_restart_share *shares;
    int share_count;
    struct restore_plan *plan;
    struct shm_table shm;
};

static int fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "stasis-restart: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return EXIT_CANNOT_RESTORE;
}

/* ---- the pid table ---- */

static int kernel_pid_of(const struct tree *t, int known)
{
    for (int i = 0; i < t->shared->pid_count; i++)
        if (t->shared->pids[i].known_pid == known)
            return t->shared->pids[i].kernel_pid;
    return -1;
}

static void publish(struct tree *t, int known, int kernel)
{
    struct shared_area *s = t->shared;
    if (kernel_pid_of(t, known) >= 0)
        return;
    int slot = __atomic_fetch_add(&s->pid_count, 1, __ATOMIC_ACQ_REL);
    if (slot < t->pid_capacity) {
        s->pids[slot].known_pid = known;
        s->pids[slot].kernel_pid = kernel;
    }
}

/* ---- the barrier ---- */

static int ready(void *arg, const char *why)
{
    struct tree *t = arg;
    struct shared_area *s = t->shared;
    if (why) {
        if (!__atomic_exchange_n(&s->failed, 1, __ATOMIC_ACQ_REL)) {
            s->failed_pid = getpid();
            snprintf(s->why, sizeof s->why, "%s", why);
        }
        futex_wake((int *)&s->failed, 0x7fffffff);
        return -1;
    }
    __atomic_add_fetch(&s->ready, 1, __ATOMIC_ACQ_REL);
    futex_wake((int *)&s->ready, 0x7fffffff);
    for (;;) {
        if (__atomic_load_n(&s->failed, __ATOMIC_ACQUIRE))
            return -1;
        int seen = __atomic_load_n(&s->ready, __ATOMIC_ACQUIRE);
        if (seen >= s->total)
            break;
        struct timespec slice = {0, 100 * 1000000L};
        futex_wait_shared(&s->ready, seen, &slice);
    }
    /* everyone is in: the table is complete */
    t->plan->pid_count = (uint32_t)(s->pid_count < t->pid_capacity ? s->pid_count : t->pid_capacity);
    return 0;
}

/* ---- objects shared between processes ---- */

static int decode_fds(const struct image *img, struct img_fd *out, int max)
{
    const void *section;
    uint64_t length;
    if (img_find_section(img->metadata, img->metadata_length, IMG_SEC_FDS, 0, &section, &length) < 0)
        return 0;
    struct rbuf r;
    rb_init(&r, section, length);
    uint32_t n = rb_u32(&r);
    int count = 0;
    for (uint32_t i = 0; i < n && count < max; i++)
        if (img_decode_fd(&r, &out[count]) == 0)
            count++;
    return count;
}

static int find_share(const struct tree *t, uint64_t id)
{
    for (int i = 0; i < t->share_count; i++)
        if (t->shares[i].share_id == id)
            return i;
    return -1;
}

static int lift(int fd, int above)
{
    int high = fcntl(fd, F_DUPFD_CLOEXEC, above);
    close(fd);
    return high;
}

static int open_shared_objects(struct tree *t)
{
    static struct img_fd fds[4096];
    int highest = 2, capacity = 1024;
    t->shares = calloc((size_t)capacity, sizeof *t->shares);
    if (!t->shares)
        return fail("%s%s", "out of memory", "");
    /* above every descriptor number any process will restore */
    for (int n = 0; n < t->count; n++) {
        int count = decode_fds(t->nodes[n].img, fds, 4096);
        for (int i = 0; i < count; i++)
            if ((int)fds[i].fd > highest)
                highest = (int)fds[i].fd;
    }
    int above = highest + 64;
    for (int n = 0; n < t->count; n++) {
        int count = decode_fds(t->nodes[n].img, fds, 4096);
        for (int i = 0; i < count; i++) {
            const struct img_fd *f = &fds[i];
            if (!f->share_id || f->same_as != IMG_FD_NOT_SHARED || find_share(t, f->share_id) >= 0)
                continue;
            /* who else holds it? a pipe needs both ends here, or a read end whose
             * writer had exited; a description two holders */
            int readers = 0, writers = 0, no_writer = 0, holders = 0;
            /* the bytes in flight, which every process holding a read end saved: a
             * copy of the record's fields, as `other` is decoded again for the next
             * process (a pointer into it named another process's descriptor) */
            const unsigned char *bytes = NULL;
            uint32_t byte_count = 0;
            for (int m = 0; m < t->count; m++) {
                static struct img_fd other[4096];
                int others = decode_fds(t->nodes[m].img, other, 4096);
                int here = 0;
                for (int k = 0; k < others; k++)
                    if (other[k].share_id == f->share_id) {
                        readers += other[k].kind == IMG_FD_PIPE_READ;
                        writers += other[k].kind == IMG_FD_PIPE_WRITE;
                        no_writer |= other[k].kind == IMG_FD_PIPE_READ && (other[k].fd_flags & IMG_FD_NO_WRITER);
                        here = 1;
                        if (other[k].data_length && !bytes) {
                            bytes = other[k].data;
                            byte_count = other[k].data_length;
                        }
                    }
                holders += here;
            }
            struct stasis_restart_share s = {f->share_id, -1, -1};
            if (f->share_id & IMG_SHARE_PIPE) {
                if (!readers || (!writers && !no_writer))
                    continue; /* one end led outside the computation */
                int ends[2];
                /* non-blocking so that bytes that no longer fit fail the restart
                 * instead of hanging it; each process sets its ends' saved flags */
                if (pipe2(ends, O_CLOEXEC | O_NONBLOCK) < 0)
                    return fail("cannot create a pipe: %s%s", strerror(errno), "");
                if (f->kind == IMG_FD_PIPE_READ || f->kind == IMG_FD_PIPE_WRITE)
                    fcntl(ends[1], F_SETPIPE_SZ, (int)f->offset);
                uint32_t done = 0;
                while (done < byte_count) {
                    ssize_t w = write(ends[1], bytes + done, byte_count - done);
                    if (w <= 0)
                        break;
                    done += (uint32_t)w;
                }
                if (done < byte_count)
                    return fail("cannot put the bytes in flight back into %s: %s", f->path,
                                "the new pipe is smaller than the saved one");
                s.fd = lift(ends[0], above);
                /* a writer that had exited leaves end of file after the bytes */
                if (writers)
                    s.write_fd = lift(ends[1], above);
                else
                    close(ends[1]);
            } else {
                size_t len = strlen(f->path);
                if (holders < 2 || (len > 10 && strcmp(f->path + len - 10, " (deleted)") == 0))
                    continue; /* its own process reopens it (or its files plugin recreates it) */
                int flags = (int)(f->open_flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC)) | O_CLOEXEC;
                if (f->kind == IMG_FD_DIR)
                    flags |= O_DIRECTORY;
                char path[sizeof f->path];
                if (path_map_apply(t->plan->path_map, f->path, path, sizeof path) >= sizeof path)
                    return fail("cannot reopen %s: %s", f->path, "too long a path with --path-map");
                int fd = open(path, flags);
                if (fd < 0)
                    return fail("cannot reopen %s: %s", path, strerror(errno));
                if (f->kind == IMG_FD_FILE || f->kind == IMG_FD_DIR)
                    lseek(fd, (off_t)f->offset, SEEK_SET);
                s.fd = lift(fd, above);
            }
            if (s.fd < 0)
                return fail("%s%s", "cannot keep a shared descriptor", "");
            if (t->share_count == capacity)
                return fail("%s%s", "too many shared descriptors", "");
            t->shares[t->share_count++] = s;
        }
    }
    /* every process inherits them: they must survive exec into nothing but stay out
     * of the program's way until libstasis places them */
    for (int i = 0; i < t->share_count; i++) {
        fcntl(t->shares[i].fd, F_SETFD, 0);
        if (t->shares[i].write_fd >= 0)
            fcntl(t->shares[i].write_fd, F_SETFD, 0);
    }
    return 0;
}

/* ---- the tree ---- */

static int decode_zombies(struct node *n)
{
    const void *section;
    uint64_t length;
    if (img_find_section(n->img->metadata, n->img->metadata_length, IMG_SEC_CHILDREN, 0, &section, &length) < 0)
        return 0;
    struct rbuf r;
    rb_init(&r, section, length);
    uint32_t count = rb_u32(&r);
    for (uint32_t i = 0; i < count; i++) {
        struct img_child c;
        if (img_decode_child(&r, &c) < 0)
            return -1;
        if (c.state == IMG_CHILD_ZOMBIE && n->zombie_count < 64)
            n->zombies[n->zombie_count++] = c;
    }
    return 0;
}

/* A child that is already dead, as it was: exits at once with the saved status and
 * stays a zombie until its restored parent waits for it. */
static void make_zombie(struct tree *t, const struct img_child *c)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);
        if (WIFSIGNALED(c->exit_status)) {
            signal(WTERMSIG(c->exit_status), SIG_DFL);
            kill(getpid(), WTERMSIG(c->exit_status));
        }
        _exit(WIFEXITED(c->exit_status) ? WEXITSTATUS(c->exit_status) : 1);
    }
    if (pid > 0)
        publish(t, (int)c->pid, pid);
}

/* Sessions and process groups as they were, as far as the kernel allows an
 * unprivileged process: a leader makes its own, a member joins the one its leader
 * (or the first member restarted, standing in for a leader that is gone) made. */
static int in_images(const struct tree *t, int pid)
{
    for (int i = 0; i < t->count; i++)
        if (t->nodes[i].pid == pid)
            return 1;
    return 0;
}

static void join_group(struct tree *t, const struct node *n)
{
    if (n->sid == n->pid && setsid() >= 0)
        return;
    if (n->pgid == n->pid) {
        setpgid(0, 0);
        return;
    }
    int leader = kernel_pid_of(t, n->pgid);
    if (leader > 0 && setpgid(0, leader) == 0)
        return;
    if (n->parent >= 0 && t->nodes[n->parent].pgid == n->pgid)
        return; /* inherited from the parent */
    if (!in_images(t, n->pgid) && setpgid(0, 0) == 0)
        publish(t, n->pgid, getpid());
}

static int compare_pid(const void *a, const void *b)
{
    const struct node *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

static __attribute__((noreturn)) void become(struct tree *t, int index);

static void start_children(struct tree *t, int index)
{
    struct node *n = &t->nodes[index];
    for (int z = 0; z < n->zombie_count; z++)
        make_zombie(t, &n->zombies[z]);
    for (int c = 0; c < t->count; c++) {
        /* the extra roots hang below the first one: the restarter can be only one */
        int child = t->nodes[c].parent == index || (index == 0 && c != 0 && t->nodes[c].parent < 0);
        if (!child)
            continue;
        pid_t pid = fork();
        if (pid == 0)
            become(t, c);
        if (pid < 0) {
            ready(t, "cannot fork a process of the tree");
            return;
        }
    }
}

static void become(struct tree *t, int index)
{
    struct node *n = &t->nodes[index];
    publish(t, n->pid, getpid());
    join_group(t, n);
    start_children(t, index);
    int code = restore_image(n->img, n->path, t->plan);
    _exit(code);
}

int tree_restore(struct image *images, char (*paths)[4096], int count, struct restore_plan *plan)
{
    struct tree t = {.count = count, .plan = plan};
    t.nodes = calloc((size_t)count, sizeof *t.nodes);
    if (!t.nodes)
        return fail("%s%s", "out of memory", "");
    int zombies = 0;
    for (int i = 0; i < count; i++) {
        struct node *n = &t.nodes[i];
        n->img = &images[i];
        n->path = paths[i];
        n->pid = (int)images[i].process.pid;
        n->ppid = (int)images[i].process.ppid;
        n->pgid = (int)images[i].process.pgid;
        n->sid = (int)images[i].process.sid;
        if (decode_zombies(n) < 0)
            return fail("%s: %s", paths[i], "malformed CHILDREN section");
        zombies += n->zombie_count;
        if (strcmp(images[i].process.computation_id, images[0].process.computation_id) != 0)
            return fail("%s and %s are images of different computations", paths[0], paths[i]);
    }
    /* children start in the order of their ids (group leaders first, as a rule);
     * the process that ran stasis-restart becomes the first root */
    qsort(t.nodes, (size_t)count, sizeof *t.nodes, compare_pid);
    for (int i = 1; i < count; i++)
        if (t.nodes[i].pid == t.nodes[i - 1].pid)
            return fail("%s and %s are images of the same process", t.nodes[i - 1].path, t.nodes[i].path);
    for (int i = 0; i < count; i++)
        if (!in_images(&t, t.nodes[i].ppid)) {
            struct node root = t.nodes[i];
            memmove(&t.nodes[1], &t.nodes[0], (size_t)i * sizeof *t.nodes);
            t.nodes[0] = root;
            break;
        }
    for (int i = 0; i < count; i++) {
        t.nodes[i].parent = -1;
        for (int p = 0; p < count; p++)
            if (p != i && t.nodes[p].pid == t.nodes[i].ppid)
                t.nodes[i].parent = p;
    }
    t.pid_capacity = 2 * count + zombies + 16;
    size_t area = sizeof(struct shared_area) + (size_t)t.pid_capacity * sizeof(struct stasis_restart_pid);
    t.shared = mmap(NULL, area, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (t.shared == MAP_FAILED)
        return fail("%s%s", "out of memory", "");
    t.shared->total = count;
    int r = open_shared_objects(&t);
    if (r)
        return r;
    char why[1024];
    if (shm_plan(&t.shm, images, count, why, sizeof why) < 0)
        return fail("%s%s", why, "");
    plan->shm = &t.shm;
    const char *debug = getenv("STASIS_DEBUG");
    for (uint32_t o = 0; debug && *debug && strcmp(debug, "0") != 0 && o < t.shm.object_count; o++) {
        const struct shm_object *obj = &t.shm.objects[o];
        const struct shm_member *first = &t.shm.members[obj->first];
        fprintf(stderr, "stasis-restart: %s (%x:%x inode %llu) is one object of %llu bytes for %u regions\n",
                first->img->regions[first->region].name, obj->dev_major, obj->dev_minor,
                (unsigned long long)obj->inode, (unsigned long long)obj->size, obj->count);
    }
    plan->pids = t.shared->pids;
    plan->pid_count = 0;
    plan->pid_capacity = (uint32_t)t.pid_capacity;
    plan->shares = t.shares;
    plan->share_count = (uint32_t)t.share_count;
    plan->ready = ready;
    plan->arg = &t;
    /* a root's session and group outside the computation: the ones it gets here */
    const struct node *root = &t.nodes[0];
    publish(&t, root->pid, getpid());
    if (root->sid != root->pid)
        publish(&t, root->sid, getsid(0));
    if (root->pgid != root->pid)
        publish(&t, root->pgid, getpgid(0));
    if (root->sid == root->pid)
        setsid();
    else if (root->pgid == root->pid)
        setpgid(0, 0);
    start_children(&t, 0);
    r = restore_image(root->img, root->path, plan);
    if (t.shared->failed && t.shared->why[0] && t.shared->failed_pid != getpid())
        fprintf(stderr, "stasis-restart: restart of the computation failed: %s\n", t.shared->why);
    return r;
}
