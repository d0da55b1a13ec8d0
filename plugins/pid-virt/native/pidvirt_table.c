/* The id table and the plugin's events. */
#include <errno.h>
#include <pthread.h>
#include <stasis/ids.h>
#include <stasis/plugin.h>
#include <stasis/services.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "pidvirt.h"

#define MAX_PROCESSES 4096
#define MAX_THREADS 8192
#define TABLE_VARIABLE "STASIS_PIDVIRT_TABLE"
/* ids for threads created after a restart whose kernel id a restored thread
 * already has: above any kernel pid (PID_MAX_LIMIT) */
#define FIRST_SPARE_TID 4194304

struct mapping {
    pid_t virtual_id, kernel_id;
};

static struct pidvirt_state {
    pid_t self, kernel_self;            /* this process, as the program and the kernel know it */
    struct mapping processes[MAX_PROCESSES];
    int process_count;
    struct mapping threads[MAX_THREADS];
    int thread_count;
    /* kernel ids before the last restart, to redo system calls made with them */
    struct mapping before_restart[MAX_PROCESSES];
    int before_count;
    volatile int lock;                  /* threads created concurrently after a restart */
    pid_t next_spare_tid;
    char table_text[MAX_PROCESSES * 24];
} pidvirt_state;

static long raw(long nr)
{
    return stasis_real_syscall(nr, 0, 0, 0, 0, 0, 0);
}

static pid_t lookup(const struct mapping *m, int n, pid_t key, int by_kernel)
{
    for (int i = 0; i < n; i++)
        if ((by_kernel ? m[i].kernel_id : m[i].virtual_id) == key)
            return by_kernel ? m[i].virtual_id : m[i].kernel_id;
    return 0;
}

pid_t pidvirt_self(void)
{
    return pidvirt_state.self ? pidvirt_state.self : (pid_t)raw(SYS_getpid);
}

pid_t pidvirt_kernel_self(void)
{
    return pidvirt_state.kernel_self ? pidvirt_state.kernel_self : (pid_t)raw(SYS_getpid);
}

pid_t pidvirt_to_kernel(pid_t v)
{
    struct pidvirt_state *s = &pidvirt_state;
    if (v <= 0)
        return v;
    if (v == s->self)
        return s->kernel_self;
    pid_t k = lookup(s->processes, s->process_count, v, 0);
    return k ? k : v;
}

pid_t pidvirt_to_virtual(pid_t k)
{
    struct pidvirt_state *s = &pidvirt_state;
    if (k <= 0)
        return k;
    if (k == s->kernel_self)
        return s->self;
    pid_t v = lookup(s->processes, s->process_count, k, 1);
    return v ? v : k;
}

pid_t pidvirt_to_kernel_signed(pid_t pid)
{
    return pid > 0 ? pidvirt_to_kernel(pid) : pid < -1 ? -pidvirt_to_kernel(-pid) : pid;
}

/* Is this kernel pid, just given to a new child, one the program could confuse
 * with a process or thread it knows? (a virtual id, or the kernel id of an entry
 * for a process that is gone) */
int pidvirt_taken(pid_t pid)
{
    struct pidvirt_state *s = &pidvirt_state;
    return pid == s->self || lookup(s->processes, s->process_count, pid, 0) != 0 ||
           lookup(s->processes, s->process_count, pid, 1) != 0 || lookup(s->threads, s->thread_count, pid, 0) != 0;
}

pid_t pidvirt_thread_to_kernel(pid_t v)
{
    pid_t k = lookup(pidvirt_state.threads, pidvirt_state.thread_count, v, 0);
    return k ? k : v;
}

pid_t pidvirt_self_tid(void)
{
    int *tid = stasis_pthread_tid((unsigned long)pthread_self());
    return tid ? *tid : (pid_t)raw(SYS_gettid);
}

pid_t pidvirt_refresh(pid_t old)
{
    struct pidvirt_state *s = &pidvirt_state;
    /* ids that were their own virtual ids (never restarted before) are not listed */
    pid_t v = lookup(s->before_restart, s->before_count, old, 1);
    return pidvirt_to_kernel(v ? v : old);
}

static void add(struct mapping *m, int *n, int max, pid_t v, pid_t k)
{
    if (v <= 0 || k <= 0 || v == k || *n >= max)
        return;
    for (int i = 0; i < *n; i++)
        if (m[i].virtual_id == v) {
            m[i].kernel_id = k;
            return;
        }
    m[*n].virtual_id = v;
    m[*n].kernel_id = k;
    (*n)++;
}

void pidvirt_adopt_new_thread(void)
{
    struct pidvirt_state *s = &pidvirt_state;
    int *tid_word = stasis_pthread_tid((unsigned long)pthread_self());
    pid_t kernel = (pid_t)raw(SYS_gettid);
    while (__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE))
        raw(SYS_sched_yield);
    if (tid_word && lookup(s->threads, s->thread_count, kernel, 0)) {
        /* a restored thread is known by this id: this one gets a spare */
        pid_t spare = s->next_spare_tid ? s->next_spare_tid : FIRST_SPARE_TID;
        s->next_spare_tid = spare + 1;
        add(s->threads, &s->thread_count, MAX_THREADS, spare, kernel);
        *tid_word = spare;
    }
    __atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
}

/* ---- the table across exec and spawn: "virtual:kernel,…" ---- */

static void export_table(void)
{
    struct pidvirt_state *s = &pidvirt_state;
    char *p = s->table_text, *end = s->table_text + sizeof s->table_text - 24;
    for (int i = -1; i < s->process_count && p < end; i++) {
        pid_t v = i < 0 ? s->self : s->processes[i].virtual_id;
        pid_t k = i < 0 ? s->kernel_self : s->processes[i].kernel_id;
        if (v == k)
            continue;
        char digits[24];
        int n = 0;
        for (long x = k; x; x /= 10)
            digits[n++] = (char)('0' + x % 10);
        char vd[24];
        int m = 0;
        for (long x = v; x; x /= 10)
            vd[m++] = (char)('0' + x % 10);
        if (p != s->table_text)
            *p++ = ',';
        while (m)
            *p++ = vd[--m];
        *p++ = ':';
        while (n)
            *p++ = digits[--n];
    }
    *p = 0;
    if (p != s->table_text)
        stasis_exec_setenv(TABLE_VARIABLE, s->table_text);
}

static void import_table(void)
{
    struct pidvirt_state *s = &pidvirt_state;
    const char *text = stasis_getenv(TABLE_VARIABLE);
    for (const char *p = text; p && *p;) {
        char *end;
        long v = strtol(p, &end, 10);
        if (*end != ':')
            break;
        long k = strtol(end + 1, &end, 10);
        add(s->processes, &s->process_count, MAX_PROCESSES, (pid_t)v, (pid_t)k);
        p = *end == ',' ? end + 1 : end;
    }
}

/* ---- events ---- */

static void on_init(void)
{
    struct pidvirt_state *s = &pidvirt_state;
    s->kernel_self = (pid_t)raw(SYS_getpid);
    const char *known = stasis_getenv("STASIS_PID"); /* after an exec: the pid before it */
    s->self = known ? (pid_t)strtol(known, NULL, 10) : s->kernel_self;
    if (s->self <= 0)
        s->self = s->kernel_self;
    import_table();
}

static void on_fork_child(void)
{
    struct pidvirt_state *s = &pidvirt_state;
    /* the parent, as we know it now (its ids were ours until fork returned) */
    add(s->processes, &s->process_count, MAX_PROCESSES, s->self, s->kernel_self);
    s->kernel_self = s->self = (pid_t)raw(SYS_getpid);
    s->thread_count = 0;
}

/* After restart: the kernel ids of every restored process and thread, and the old
 * ones kept to redo interrupted system calls. Every user thread is frozen. */
static int on_restart(void)
{
    struct pidvirt_state *s = &pidvirt_state;
    s->before_count = 0;
    add(s->before_restart, &s->before_count, MAX_PROCESSES, s->self, s->kernel_self);
    for (int i = 0; i < s->process_count; i++)
        add(s->before_restart, &s->before_count, MAX_PROCESSES, s->processes[i].virtual_id,
            s->processes[i].kernel_id);
    s->kernel_self = (pid_t)raw(SYS_getpid);
    struct stasis_restarted_process restarted[MAX_PROCESSES];
    int n = stasis_restarted_processes(restarted, MAX_PROCESSES);
    /* restarted alone (n == 0): the other kernel ids we knew belong to nobody now */
    s->process_count = 0;
    for (int i = 0; i < n && i < MAX_PROCESSES; i++)
        add(s->processes, &s->process_count, MAX_PROCESSES, restarted[i].known_pid, restarted[i].kernel_pid);
    s->thread_count = 0;
    int threads = stasis_thread_count();
    for (int i = 0; i < threads; i++) {
        struct stasis_thread t;
        if (stasis_thread_get(i, &t) < 0)
            return -EINVAL;
        if (t.descriptor_tid)
            *t.descriptor_tid = t.known_tid;
        add(s->threads, &s->thread_count, MAX_THREADS, t.known_tid, t.kernel_tid);
    }
    return 0;
}

static int kernel_to_virtual(int id)
{
    return pidvirt_to_virtual(id);
}

static int virtual_to_kernel(int id)
{
    return pidvirt_to_kernel(id);
}

static int refresh(int id)
{
    return pidvirt_refresh(id);
}

/* The table as it is at checkpoint, for `stasis inspect` (PidVirtSection decodes
 * it): "PVT1", u32 virtual and kernel pid of this process, u32 n + n pairs
 * (virtual, kernel) of processes, the same for threads; ids equal to their kernel
 * id are not listed. The restart does not need it: the table is in the memory. */
#define SECTION_MAGIC 0x31545650u

static int write_pairs(const struct mapping *m, int n)
{
    uint32_t count = (uint32_t)n;
    int r = stasis_section_write(&count, sizeof count);
    for (int i = 0; i < n && r == 0; i++) {
        uint32_t pair[2] = {(uint32_t)m[i].virtual_id, (uint32_t)m[i].kernel_id};
        r = stasis_section_write(pair, sizeof pair);
    }
    return r;
}

static int write_section(void)
{
    struct pidvirt_state *s = &pidvirt_state;
    uint32_t header[3] = {SECTION_MAGIC, (uint32_t)pidvirt_self(), (uint32_t)pidvirt_kernel_self()};
    int r = stasis_section_write(header, sizeof header);
    if (r == 0)
        r = write_pairs(s->processes, s->process_count);
    if (r == 0)
        r = write_pairs(s->threads, s->thread_count);
    return r;
}

static int pidvirt_event(const struct stasis_event_info *info)
{
    switch (info->event) {
    case STASIS_EVENT_INIT:
        on_init();
        stasis_provide_ids(kernel_to_virtual, virtual_to_kernel);
        stasis_provide_id_refresh(refresh);
        return 0;
    case STASIS_EVENT_FORK_CHILD:
        on_fork_child();
        return 0;
    case STASIS_EVENT_EXEC:
    case STASIS_EVENT_SPAWN:
        export_table();
        return 0;
    case STASIS_EVENT_WRITE:
        return write_section();
    case STASIS_EVENT_RESTART:
        return on_restart();
    default:
        return STASIS_NOT_MINE;
    }
}

static const struct stasis_plugin pidvirt_plugin = {
    .api_version = STASIS_PLUGIN_API_VERSION,
    .id = "pid-virt",
    .on_event = pidvirt_event,
};

STASIS_PLUGIN_REGISTER(pidvirt_plugin)
