#include "threads.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <sys/wait.h>
#include <ucontext.h>

#include "../common/sys.h"
#include "fmt.h"
#include "idmap.h"
#include "log.h"
#include "procfs.h"

#define SLOT_CAPACITY 8192
#define RSEQ_SIG 0x53053053

enum phase { PHASE_RUNNING = 0, PHASE_SUSPENDING = 1 };

static struct threads_state {
    int sig;
    long tid_offset;
    volatile int phase;
    volatile int release_generation;  /* bumped to let frozen threads go */
    volatile int suspended;           /* threads that reached the wait */
    volatile int restarted;           /* restored threads that reported in */
    volatile int in_handler;          /* threads between handler entry and exit */
    int count;                        /* slots in use this checkpoint */
    struct thread_slot *slots;        /* SLOT_CAPACITY, mmap'ed, saved in the image */
    struct sigaction user_action;     /* what the program asked for our signal */
} threads_state = {.tid_offset = -1};

static __thread struct thread_tls {
    uint64_t checkpoints;
    int64_t suspended_at_ns;
} thread_tls __attribute__((tls_model("initial-exec")));

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct thread_slot *find_slot(int tid)
{
    for (int i = 0; i < threads_state.count; i++)
        if (threads_state.slots[i].kernel_tid == tid)
            return &threads_state.slots[i];
    return NULL;
}

/* Probe the kernel for this thread's rseq registration: registering the same area
 * again answers EBUSY exactly when it is the one registered. glibc registers
 * 32 bytes; newer versions may register their feature size instead. */
static int rseq_registered(uint64_t area, uint32_t len)
{
    return sys4(SYS_rseq, (long)area, len, 0, RSEQ_SIG) == -EBUSY;
}

static void record_rseq(struct thread_slot *slot)
{
    extern const ptrdiff_t __rseq_offset __attribute__((weak));
    extern const unsigned int __rseq_size __attribute__((weak));
    slot->rseq_address = 0;
    if (!&__rseq_offset || !&__rseq_size || __rseq_size == 0)
        return;
    uint64_t area = (uint64_t)__builtin_thread_pointer() + (uint64_t)__rseq_offset;
    uint32_t len = 32;
    if (!rseq_registered(area, len)) {
        len = __rseq_size;
        if (len == 32 || len < 20 || !rseq_registered(area, len))
            return;
    }
    slot->rseq_address = area;
    slot->rseq_length = len;
    slot->rseq_signature = RSEQ_SIG;
}

int *threads_descriptor_tid(uint64_t fs_base)
{
    return threads_state.tid_offset < 0 || !fs_base ? NULL : (int *)(fs_base + (uint64_t)threads_state.tid_offset);
}

static void record_self(struct thread_slot *slot)
{
    slot->fs_base = (uint64_t)__builtin_thread_pointer();
    int *tid_word = threads_descriptor_tid(slot->fs_base);
    slot->known_tid = tid_word ? *tid_word : slot->kernel_tid;
    long head = 0, len = 0;
    if (sys3(SYS_get_robust_list, 0, (long)&head, (long)&len) == 0) {
        slot->robust_head = (uint64_t)head;
        slot->robust_len = (uint64_t)len;
    }
    record_rseq(slot);
    sys2(SYS_sigaltstack, 0, (long)&slot->altstack);
    sys2(SYS_prctl, PR_GET_NAME, (long)slot->comm);
}

static void forward_to_user(int sig, siginfo_t *info, void *uc)
{
    struct sigaction *a = &threads_state.user_action;
    if (a->sa_flags & SA_SIGINFO) {
        if (a->sa_sigaction)
            a->sa_sigaction(sig, info, uc);
    } else if (a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN) {
        a->sa_handler(sig);
    }
}

/* System calls the kernel never restarts after a handler ran (poll, select,
 * epoll_wait, pause, …): they would fail with EINTR because of a checkpoint. Each is
 * safe to issue again with the same arguments: EINTR means it did nothing. */
static int restartable_after_eintr(long nr)
{
    switch (nr) {
    case SYS_poll: case SYS_ppoll: case SYS_select: case SYS_pselect6:
    case SYS_epoll_wait: case SYS_epoll_pwait: case SYS_epoll_pwait2:
    case SYS_pause: case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait:
    case SYS_semop: case SYS_semtimedop: case SYS_msgrcv: case SYS_msgsnd:
    case SYS_accept: case SYS_accept4: case SYS_recvfrom: case SYS_recvmsg: case SYS_recvmmsg:
    case SYS_sendto: case SYS_sendmsg: case SYS_read: case SYS_readv: case SYS_write: case SYS_writev:
    case SYS_mq_timedreceive: case SYS_mq_timedsend: case SYS_io_getevents:
        return 1;
    default:
        return 0;
    }
}

/* If our signal made the very call recorded before signalling fail with EINTR
 * (same instruction, same arguments), step back onto the syscall instruction with
 * the call's number: sigreturn then issues it again, as if nothing happened. */
static void restart_interrupted_call(const struct thread_slot *slot, ucontext_t *uc)
{
    greg_t *r = uc->uc_mcontext.gregs;
    if (slot->blocked_nr < 0 || r[REG_RAX] != -EINTR || (uint64_t)r[REG_RIP] != slot->blocked_pc ||
        !restartable_after_eintr(slot->blocked_nr))
        return;
    const greg_t args[6] = {r[REG_RDI], r[REG_RSI], r[REG_RDX], r[REG_R10], r[REG_R8], r[REG_R9]};
    for (int i = 0; i < 6; i++)
        if ((uint64_t)args[i] != slot->blocked_args[i])
            return;
    const unsigned char *insn = (const unsigned char *)(r[REG_RIP] - 2);
    if (insn[0] != 0x0f || insn[1] != 0x05)
        return;
    r[REG_RAX] = slot->blocked_nr;
    r[REG_RIP] -= 2;
}

/* After a restart, a call the kernel had set up to restart (waitpid, kill, … with
 * SA_RESTART) carries the kernel ids of before: give it today's. */
static void refresh_ids_of_restarting_call(const struct thread_slot *slot, ucontext_t *uc)
{
    greg_t *r = uc->uc_mcontext.gregs;
    if (slot->blocked_nr < 0 || (uint64_t)r[REG_RIP] != slot->blocked_pc - 2 || r[REG_RAX] != slot->blocked_nr)
        return;
    long pid;
    switch (slot->blocked_nr) {
    case SYS_wait4:
    case SYS_kill:
        pid = (long)(int)r[REG_RDI];
        if (pid > 0)
            r[REG_RDI] = idmap_refresh((int)pid);
        else if (pid < -1)
            r[REG_RDI] = -idmap_refresh((int)-pid);
        break;
    case SYS_waitid:
        if (r[REG_RDI] == P_PID || r[REG_RDI] == P_PGID)
            r[REG_RSI] = idmap_refresh((int)r[REG_RSI]);
        break;
    default:
        break;
    }
}

static void wait_for_release(int generation)
{
    while (__atomic_load_n(&threads_state.release_generation, __ATOMIC_ACQUIRE) == generation)
        futex_wait(&threads_state.release_generation, generation, NULL);
}

static void checkpoint_signal_handler(int sig, siginfo_t *info, void *uc)
{
    struct threads_state *s = &threads_state;
    int saved_errno = errno;
    __atomic_add_fetch(&s->in_handler, 1, __ATOMIC_ACQ_REL);
    struct thread_slot *slot = NULL;
    if (__atomic_load_n(&s->phase, __ATOMIC_ACQUIRE) == PHASE_SUSPENDING)
        slot = find_slot((int)sys0(SYS_gettid));
    if (!slot || slot->state != SLOT_SIGNALED) {
        /* not ours: the program raised the signal itself */
        __atomic_sub_fetch(&s->in_handler, 1, __ATOMIC_ACQ_REL);
        forward_to_user(sig, info, uc);
        errno = saved_errno;
        return;
    }
    record_self(slot);
    thread_tls.suspended_at_ns = monotonic_ns();
    int generation = __atomic_load_n(&s->release_generation, __ATOMIC_ACQUIRE);
    if (stasis_ctx_save(&slot->ctx) == 0) {
        __atomic_store_n(&slot->state, SLOT_SUSPENDED, __ATOMIC_RELEASE);
        __atomic_add_fetch(&s->suspended, 1, __ATOMIC_ACQ_REL);
        futex_wake(&s->suspended, 1);
        wait_for_release(generation);
    } else {
        /* A new kernel thread resumed us after restart. rseq and the robust list
         * were registered by the restorer; the name is ours to set. */
        slot->new_tid = (int)sys0(SYS_gettid);
        if (slot->rseq_address && !rseq_registered(slot->rseq_address, slot->rseq_length))
            LOG_WARN("thread %d: rseq is not registered after restart (sched_getcpu may be stale)", slot->new_tid);
        __atomic_add_fetch(&s->restarted, 1, __ATOMIC_ACQ_REL);
        futex_wake(&s->restarted, 1);
        wait_for_release(generation);
        sys2(SYS_prctl, PR_SET_NAME, (long)slot->comm);
        refresh_ids_of_restarting_call(slot, uc);
    }
    restart_interrupted_call(slot, uc);
    thread_tls.checkpoints++;
    __atomic_sub_fetch(&s->in_handler, 1, __ATOMIC_ACQ_REL);
    errno = saved_errno;
}

static long find_tid_offset(void)
{
    /* glibc keeps the kernel tid in its thread descriptor (struct pthread), which
     * starts at the TLS pointer on x86-64. Its offset is not exported; look for
     * our tid in the first 2 KiB, then confirm in a second thread. */
    const char *self = (const char *)__builtin_thread_pointer();
    int tid = (int)sys0(SYS_gettid);
    for (long off = 64; off < 2048; off += 4)
        if (*(const int *)(self + off) == tid)
            return off;
    return -1;
}

long threads_tid_offset(void)
{
    return threads_state.tid_offset;
}

int threads_signal(void)
{
    return threads_state.sig;
}

int threads_init(int sigckpt)
{
    struct threads_state *s = &threads_state;
    s->sig = sigckpt;
    s->tid_offset = find_tid_offset();
    s->slots = mmap(NULL, SLOT_CAPACITY * sizeof *s->slots, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (s->slots == MAP_FAILED) {
        s->slots = NULL;
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = checkpoint_signal_handler;
    /* SA_RESTART: read, write, waitpid, futex waits… continue after a checkpoint
     * instead of failing with EINTR. Sleeps are finished by wrap_sleep.c. */
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigfillset(&sa.sa_mask);
    /* the real sigaction: ours (wrap_signal.c) keeps this signal away from everyone */
    int (*real_sigaction)(int, const struct sigaction *, struct sigaction *) = dlsym(RTLD_NEXT, "sigaction");
    return real_sigaction ? real_sigaction(sigckpt, &sa, NULL) : -1;
}

/* /proc/self/task/<tid>/syscall: "nr a1 … a6 sp pc" while the thread is blocked in a
 * system call, "running" or "-1 sp pc" otherwise. */
static void record_blocked_syscall(struct thread_slot *slot)
{
    slot->blocked_nr = -1;
    char path[64], buf[256];
    stasis_fmt(path, sizeof path, "/proc/self/task/%d/syscall", slot->kernel_tid);
    if (procfs_read(path, buf, sizeof buf) <= 0 || buf[0] < '0' || buf[0] > '9')
        return;
    const char *p = buf;
    long nr = (long)procfs_dec(&p);
    for (int i = 0; i < 6; i++)
        slot->blocked_args[i] = procfs_hex(&p);
    procfs_hex(&p); /* stack pointer */
    slot->blocked_pc = procfs_hex(&p);
    slot->blocked_nr = nr;
}

struct task_listing {
    int self_tid;
    long pid;
    int added;
    int full;
};

static int signal_if_new(long tid, void *arg)
{
    struct task_listing *l = arg;
    struct threads_state *s = &threads_state;
    if (tid == l->self_tid || find_slot((int)tid))
        return 0;
    if (s->count >= SLOT_CAPACITY) {
        l->full = 1;
        return 1;
    }
    struct thread_slot *slot = &s->slots[s->count];
    memset(slot, 0, sizeof *slot);
    slot->kernel_tid = (int)tid;
    slot->flags = tid == l->pid ? IMG_THREAD_MAIN : 0;
    record_blocked_syscall(slot);
    slot->state = SLOT_SIGNALED;
    __atomic_store_n(&s->count, s->count + 1, __ATOMIC_RELEASE);
    if (sys3(SYS_tgkill, l->pid, tid, s->sig) < 0)
        slot->state = SLOT_GONE;
    l->added++;
    return 0;
}

/* Adds a slot for every task not yet known and signals it; returns how many were
 * added, or -1 if the table is full or /proc cannot be read. */
static int signal_new_tasks(int self_tid)
{
    struct task_listing l = {self_tid, sys0(SYS_getpid), 0, 0};
    if (procfs_each_number("/proc/self/task", signal_if_new, &l) < 0 || l.full)
        return -1;
    return l.added;
}

/* A thread that exits (or became a zombie leader) after being listed never
 * answers; /proc tells us so. */
static int task_is_dead(int tid)
{
    char path[64], stat[256];
    stasis_fmt(path, sizeof path, "/proc/self/task/%d/stat", tid);
    if (procfs_read(path, stat, sizeof stat) <= 0)
        return 1;
    const char *state = procfs_stat_field(stat, 3);
    return state && (*state == 'Z' || *state == 'X');
}

static int pending_slots(void)
{
    int pending = 0;
    for (int i = 0; i < threads_state.count; i++) {
        struct thread_slot *slot = &threads_state.slots[i];
        if (__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) == SLOT_SIGNALED)
            pending++;
    }
    return pending;
}

int threads_suspend_all(int timeout_ms)
{
    struct threads_state *s = &threads_state;
    /* a thread may still be leaving the previous checkpoint's handler */
    while (__atomic_load_n(&s->in_handler, __ATOMIC_ACQUIRE) > 0)
        sys0(SYS_sched_yield);
    s->count = 0;
    s->suspended = 0;
    s->restarted = 0;
    int self = (int)sys0(SYS_gettid);
    __atomic_store_n(&s->phase, PHASE_SUSPENDING, __ATOMIC_RELEASE);
    int64_t deadline = monotonic_ns() + (int64_t)timeout_ms * 1000000;
    for (;;) {
        int added = signal_new_tasks(self);
        if (added < 0)
            goto fail;
        if (added == 0 && pending_slots() == 0)
            break;
        while (pending_slots() > 0) {
            if (monotonic_ns() > deadline)
                goto fail;
            int seen = __atomic_load_n(&s->suspended, __ATOMIC_ACQUIRE);
            struct timespec slice = {0, 20 * 1000000};
            futex_wait(&s->suspended, seen, &slice);
            for (int i = 0; i < s->count; i++) {
                struct thread_slot *slot = &s->slots[i];
                if (slot->state == SLOT_SIGNALED && task_is_dead(slot->kernel_tid))
                    slot->state = SLOT_GONE;
            }
        }
        /* frozen threads cannot create more; one more pass finds any created
         * between our listing and their freezing */
    }
    LOG_DEBUG("suspended %d threads", s->suspended);
    return 0;
fail:
    for (int i = 0; i < s->count; i++)
        if (s->slots[i].state == SLOT_SIGNALED)
            LOG_WARN("thread %d did not stop for the checkpoint (is signal %d blocked?)", s->slots[i].kernel_tid,
                     s->sig);
    threads_resume_all();
    return -1;
}

void threads_resume_all(void)
{
    struct threads_state *s = &threads_state;
    __atomic_store_n(&s->phase, PHASE_RUNNING, __ATOMIC_RELEASE);
    __atomic_add_fetch(&s->release_generation, 1, __ATOMIC_ACQ_REL);
    futex_wake(&s->release_generation, 0x7fffffff);
}

struct thread_slot *threads_ckpt_slot(void)
{
    struct threads_state *s = &threads_state;
    if (s->count >= SLOT_CAPACITY)
        return NULL;
    struct thread_slot *slot = &s->slots[s->count++];
    memset(slot, 0, sizeof *slot);
    slot->kernel_tid = (int)sys0(SYS_gettid);
    slot->flags = IMG_THREAD_CKPT;
    slot->state = SLOT_SUSPENDED;
    record_self(slot);
    return slot;
}

int threads_count(void)
{
    return threads_state.count;
}

struct thread_slot *threads_slot(int i)
{
    return &threads_state.slots[i];
}

int threads_wait_restarted(int timeout_ms)
{
    struct threads_state *s = &threads_state;
    int expected = 0;
    for (int i = 0; i < s->count; i++)
        if (s->slots[i].state == SLOT_SUSPENDED && !(s->slots[i].flags & IMG_THREAD_CKPT))
            expected++;
    int64_t deadline = monotonic_ns() + (int64_t)timeout_ms * 1000000;
    for (;;) {
        int seen = __atomic_load_n(&s->restarted, __ATOMIC_ACQUIRE);
        if (seen >= expected)
            return 0;
        if (monotonic_ns() > deadline)
            return -1;
        struct timespec slice = {0, 20 * 1000000};
        futex_wait(&s->restarted, seen, &slice);
    }
}

uint64_t threads_self_checkpoints(void)
{
    return thread_tls.checkpoints;
}

int64_t threads_self_suspended_at_ns(void)
{
    return thread_tls.suspended_at_ns;
}

void threads_reset_after_fork(void)
{
    struct threads_state *s = &threads_state;
    s->count = 0;
    s->suspended = 0;
    s->restarted = 0;
    s->in_handler = 0;
    s->phase = PHASE_RUNNING;
}

void threads_set_user_action(const struct sigaction *act)
{
    threads_state.user_action = *act;
}

void threads_get_user_action(struct sigaction *act)
{
    *act = threads_state.user_action;
}
