#include "ckpt_thread.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <time.h>

#include "../common/image_format.h"
#include "../common/image_sections.h"
#include "../common/sys.h"
#include "config.h"
#include "coord_calls.h"
#include "coord_client.h"
#include "children.h"
#include "errtext.h"
#include "fds.h"
#include "idmap.h"
#include "fmt.h"
#include "guard.h"
#include "image_writer.h"
#include "log.h"
#include "maps.h"
#include "mem_writer.h"
#include "plugins.h"
#include "procstate.h"
#include "protocol.h"
#include "runtime.h"
#include "scratch.h"
#include "threads.h"
#include "unrestored.h"

#define SUSPEND_TIMEOUT_MS 10000
#define GUARD_TIMEOUT_MS 10000
#define BARRIER_TIMEOUT_MS (15 * 60 * 1000)
#define SECTION_BUFFER (1u << 20)
/* a plugin section may hold saved file contents (files plugin); untouched pages of
 * the scratch mapping cost nothing */
#define PLUGIN_SECTION_BUFFER IMG_SECTION_MAX
#define EXIT_RESTART_FAILED 5

enum write_result { WRITE_OK = 0, WRITE_RESTARTED = 1 };

static struct ckpt_state {
    pthread_t thread;
    uint32_t generation;              /* of the checkpoint running or last taken */
    uint32_t computation_size;
    int restarted;                    /* this process came from an image */
    volatile int registered;          /* connected and registered with the coordinator */
    volatile int attempted;           /* the first registration was tried */
    char dir[CONFIG_PATH_MAX];
    struct image_writer writer;
    int64_t started_ns;
    struct img_process restored;      /* decoded at restart; too big for the stack */
    struct msg_checkpoint request;    /* the CHECKPOINT being served */
} ckpt_state;

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- talking to the coordinator ---- */

static int do_register(int restarting, int allow_libc)
{
    const struct stasis_config *c = config_get();
    char host[256] = "";
    struct utsname u;
    if (sys1(SYS_uname, (long)&u) == 0)
        stasis_fmt(host, sizeof host, "%s", u.nodename);
    struct coord_registration reg = {
        .unique_id = runtime_unique_id(),
        .pid = runtime_original_pid(),
        .real_pid = (uint32_t)sys0(SYS_getpid),
        .host = host,
        .program = runtime_program(),
        .state = restarting ? 2 : 1,
        .generation = ckpt_state.generation,
        .computation_size = restarting ? ckpt_state.computation_size : 0,
        .computation_id = c->computation_id,
        .checkpoint_dir = c->ckpt_dir,
    };
    int r = coord_connect(c, &reg, allow_libc);
    if (r == 0) {
        LOG_DEBUG("registered with %s:%u as process %u", c->coord_host, c->coord_port, coord_process_number());
        __atomic_store_n(&ckpt_state.registered, 1, __ATOMIC_RELEASE);
        futex_wake(&ckpt_state.registered, 0x7fffffff);
    }
    return r;
}

/* Wait at a named barrier. 0 released; -1 aborted, disconnected or timed out. */
static int barrier(const char *name)
{
    return coord_call_barrier(name, ckpt_state.generation, BARRIER_TIMEOUT_MS);
}

static int publish(const char *key, const void *value, size_t length)
{
    return coord_call_publish(key, value, length);
}

static long lookup(const char *key, void *value, size_t capacity)
{
    return coord_call_lookup(key, value, capacity, ckpt_state.generation, BARRIER_TIMEOUT_MS);
}

static void send_result(int status, uint64_t image_bytes, uint64_t memory_bytes, const char *message)
{
    struct msg_ckpt_result result = {
        .generation = ckpt_state.generation,
        .status = (uint16_t)status,
        .image_path = status == 0 ? ckpt_state.writer.final_path : "",
        .image_bytes = image_bytes,
        .memory_bytes = memory_bytes,
        .duration_us = (uint64_t)((monotonic_ns() - ckpt_state.started_ns) / 1000),
        .message = message,
    };
    struct wbuf *w = coord_body();
    proto_encode_ckpt_result(w, &result);
    coord_send(MSG_CKPT_RESULT, w);
}

static void send_progress(uint64_t done, uint64_t total, void *arg)
{
    (void)arg;
    struct msg_progress progress = {ckpt_state.generation, done, total};
    struct wbuf *w = coord_body();
    proto_encode_progress(w, &progress);
    coord_send(MSG_PROGRESS, w);
}

/* ---- writing the image ---- */

static int encode_section(struct image_writer *w, uint32_t kind, unsigned char *buf, uint64_t cap,
                          int (*encode)(struct wbuf *, void *), void *arg)
{
    struct wbuf b;
    wb_init(&b, buf, cap);
    int r = encode(&b, arg);
    if (r < 0 || b.overflow)
        return r < 0 ? r : -ENOSPC;
    iw_section(w, kind, b.data, b.len);
    return w->error;
}

static int encode_process(struct wbuf *b, void *arg)
{
    struct img_process *p = arg;
    img_encode_process(b, p);
    return 0;
}

static int encode_threads(struct wbuf *b, void *arg)
{
    (void)arg;
    int count = 0;
    for (int i = 0; i < threads_count(); i++)
        count += threads_slot(i)->state == SLOT_SUSPENDED;
    wb_u32(b, (uint32_t)count);
    for (int i = 0; i < threads_count(); i++) {
        struct thread_slot *s = threads_slot(i);
        if (s->state != SLOT_SUSPENDED)
            continue;
        struct img_thread t;
        memset(&t, 0, sizeof t);
        int *tid_word = threads_descriptor_tid(s->fs_base);
        t.tid = (uint32_t)s->known_tid;
        t.flags = (uint32_t)s->flags;
        t.fs_base = s->fs_base;
        t.tid_address = (uint64_t)tid_word;
        t.robust_head = s->robust_head;
        t.robust_len = s->robust_len;
        t.rseq_address = s->rseq_address;
        t.rseq_length = s->rseq_length;
        t.rseq_signature = s->rseq_signature;
        memcpy(t.context, s->ctx.reg, sizeof t.context);
        t.altstack_sp = (uint64_t)s->altstack.ss_sp;
        t.altstack_size = s->altstack.ss_size;
        t.altstack_flags = (uint32_t)s->altstack.ss_flags;
        memcpy(t.comm, s->comm, sizeof t.comm);
        img_encode_thread(b, &t);
    }
    return 0;
}

static int encode_regions(struct wbuf *b, void *arg)
{
    return memory_plan_encode(arg, b);
}

static int encode_fds(struct wbuf *b, void *arg)
{
    (void)arg;
    return fds_encode(b);
}

static int encode_signals(struct wbuf *b, void *arg)
{
    (void)arg;
    return procstate_encode_signals(b);
}

static int encode_children(struct wbuf *b, void *arg)
{
    (void)arg;
    return children_encode(b);
}

static void fill_identity(struct img_process *p)
{
    const struct stasis_config *c = config_get();
    stasis_fmt(p->program, sizeof p->program, "%s", runtime_program());
    stasis_fmt(p->unique_id, sizeof p->unique_id, "%s", runtime_unique_id());
    stasis_fmt(p->computation_id, sizeof p->computation_id, "%s", c->computation_id);
    p->pid = runtime_original_pid();
    p->ppid = (uint32_t)idmap_to_virtual((int)sys0(SYS_getppid));
    p->pgid = (uint32_t)idmap_to_virtual((int)sys1(SYS_getpgid, 0));
    p->sid = (uint32_t)idmap_to_virtual((int)sys1(SYS_getsid, 0));
    p->computation_size = ckpt_state.computation_size;
    p->thread_count = 0;
    for (int i = 0; i < threads_count(); i++)
        p->thread_count += threads_slot(i)->state == SLOT_SUSPENDED;
    p->restart_mailbox = (uint64_t)runtime_mailbox();
    /* the enabled plugins, as the launcher listed them */
    const char *s = c->plugins;
    p->plugin_count = 0;
    while (*s && p->plugin_count < IMG_MAX_PLUGINS) {
        size_t n = 0;
        while (s[n] && s[n] != ',')
            n++;
        if (n && n < sizeof p->plugins[0]) {
            memcpy(p->plugins[p->plugin_count], s, n);
            p->plugins[p->plugin_count++][n] = 0;
        }
        s += n + (s[n] == ',');
    }
}

/* Everything below the context save runs while the image is being written, and
 * is not needed again after a restart, which resumes at the context save. */
static int write_plugin_sections(struct image_writer *w, uint32_t generation)
{
    unsigned char *buf = scratch_alloc(PLUGIN_SECTION_BUFFER);
    if (!buf)
        return -ENOMEM;
    int r = plugins_write_sections(w, generation, buf, PLUGIN_SECTION_BUFFER);
    scratch_free(buf, PLUGIN_SECTION_BUFFER);
    return r;
}

static __attribute__((noinline)) int write_image(uint32_t generation)
{
    struct thread_slot *me = threads_ckpt_slot();
    if (!me)
        return -ENOSPC;
    if (stasis_ctx_save(&me->ctx))
        return WRITE_RESTARTED;
    struct image_writer *w = &ckpt_state.writer;
    char name[512];
    stasis_fmt(name, sizeof name, "ckpt_%s_%s.stasis", runtime_program(), runtime_unique_id());
    int r = iw_open(w, ckpt_state.dir, name, generation, 0);
    if (r < 0) {
        log_stderr("cannot create image in %s: %s", ckpt_state.dir, errtext(r));
        return r;
    }
    runtime_set_image_fd(w->fd);
    unsigned char *buf = scratch_alloc(SECTION_BUFFER);
    struct img_process *process = scratch_alloc(sizeof *process);
    struct maps maps = {0};
    struct memory_plan plan = {0};
    if (!buf || !process) {
        r = -ENOMEM;
        goto out;
    }
    memset(process, 0, sizeof *process);
    procstate_capture(process);
    fill_identity(process);
    if ((r = maps_read(&maps)) < 0 || (r = memory_plan_build(&plan, &maps)) < 0)
        goto out;
    if ((r = encode_section(w, IMG_SEC_PROCESS, buf, SECTION_BUFFER, encode_process, process)) < 0 ||
        (r = encode_section(w, IMG_SEC_THREADS, buf, SECTION_BUFFER, encode_threads, NULL)) < 0 ||
        (r = encode_section(w, IMG_SEC_REGIONS, buf, SECTION_BUFFER, encode_regions, &plan)) < 0 ||
        (r = encode_section(w, IMG_SEC_FDS, buf, SECTION_BUFFER, encode_fds, NULL)) < 0 ||
        (r = encode_section(w, IMG_SEC_SIGNALS, buf, SECTION_BUFFER, encode_signals, NULL)) < 0 ||
        (r = encode_section(w, IMG_SEC_CHILDREN, buf, SECTION_BUFFER, encode_children, NULL)) < 0 ||
        (r = write_plugin_sections(w, generation)) < 0)
        goto out;
    int64_t memory_started = monotonic_ns();
    /* scratch memory is not saved: the secret waits there while memory is written */
    unsigned char *secret = scratch_alloc(32);
    if (!secret) {
        r = -ENOMEM;
        goto out;
    }
    config_take_secret(secret);
    r = memory_write(w, &plan, config_get()->write_threads, send_progress, NULL);
    config_give_back_secret(secret);
    scratch_free(secret, 32);
    int64_t memory_done = monotonic_ns();
    if (r == 0)
        r = iw_finish(w);
    LOG_DEBUG("image: metadata %ld ms, memory %ld ms, fsync %ld ms", (long)((memory_started - ckpt_state.started_ns) / 1000000),
              (long)((memory_done - memory_started) / 1000000), (long)((monotonic_ns() - memory_done) / 1000000));
out:
    runtime_set_image_fd(-1);
    memory_plan_release(&plan);
    maps_release(&maps);
    scratch_free(process, sizeof *process);
    scratch_free(buf, SECTION_BUFFER);
    if (r < 0)
        LOG_WARN("writing %s failed: %s", w->tmp_path, errtext(r));
    return r;
}

/* ---- the checkpoint ---- */

static void finish(int resumed_ok)
{
    if (resumed_ok)
        plugins_dispatch(STASIS_EVENT_RESUME, ckpt_state.generation, NULL);
    fds_release();
    threads_resume_all();
    guard_unlock_exclusive();
}

static void restart_run(void);

static void checkpoint_run(uint32_t generation, const char *dir, uint32_t computation_size)
{
    const struct stasis_config *c = config_get();
    ckpt_state.started_ns = monotonic_ns();
    ckpt_state.generation = generation;
    ckpt_state.computation_size = computation_size ? computation_size : 1;
    stasis_fmt(ckpt_state.dir, sizeof ckpt_state.dir, "%s", dir && *dir ? dir : c->ckpt_dir);
    LOG_DEBUG("checkpoint %u into %s", generation, ckpt_state.dir);
    /* a fork whose child has not registered yet, or an exec under way, would be
     * half in this checkpoint: let it finish first, and keep new ones out */
    if (guard_lock_exclusive(GUARD_TIMEOUT_MS) < 0) {
        send_result(1, 0, 0, "a fork or exec did not finish in time");
        return;
    }
    if (runtime_leaving()) { /* the coordinator has our BYE and counts us out */
        guard_unlock_exclusive();
        return;
    }
    if (threads_suspend_all(SUSPEND_TIMEOUT_MS) < 0) {
        guard_unlock_exclusive();
        send_result(1, 0, 0, "a thread did not stop for the checkpoint signal");
        return;
    }
    const char *failed = NULL;
    if (barrier("SUSPENDED") < 0)
        return finish(0);
    int r = plugins_dispatch(STASIS_EVENT_PRECHECKPOINT, generation, &failed);
    if (r == 0)
        r = fds_capture();
    if (r == 0)
        unrestored_scan(generation);
    if (r < 0) {
        char why[320];
        stasis_fmt(why, sizeof why, "pre-checkpoint failed in %s: %s%s%s", failed ? failed : "core", errtext(r),
                   plugins_failure_reason()[0] ? "; " : "", plugins_failure_reason());
        send_result(1, 0, 0, why);
    }
    if (barrier("DRAINED") < 0 || r < 0)
        return finish(0);
    r = write_image(generation);
    if (r == WRITE_RESTARTED)
        return restart_run();
    if (r < 0) {
        char why[320];
        stasis_fmt(why, sizeof why, "writing the image failed: %s%s%s", errtext(r),
                   plugins_failure_reason()[0] ? "; " : "", plugins_failure_reason());
        send_result(1, 0, 0, why);
        iw_discard(&ckpt_state.writer);
        barrier("WRITTEN"); /* answered with ABORT */
        return finish(0);
    }
    if (barrier("WRITTEN") < 0) {
        iw_discard(&ckpt_state.writer);
        return finish(0);
    }
    r = iw_commit(&ckpt_state.writer);
    send_result(r < 0 ? 1 : 0, ckpt_state.writer.offset, ckpt_state.writer.payload_bytes,
                r < 0 ? "cannot rename the image into place" : "ok");
    barrier("CHECKPOINTED");
    LOG_DEBUG("checkpoint %u done: %lu bytes in %ld ms", generation, (unsigned long)ckpt_state.writer.offset,
              (long)((monotonic_ns() - ckpt_state.started_ns) / 1000000));
    finish(1);
}

/* ---- the restart, in the restored process ---- */

static __attribute__((noreturn)) void restart_failed(const char *why)
{
    log_stderr("restart failed: %s", why);
    sys1(SYS_exit_group, EXIT_RESTART_FAILED);
    __builtin_unreachable();
}

static void restart_run(void)
{
    /* the image was open when memory was saved: that number is the program's again */
    runtime_set_image_fd(-1);
    struct stasis_mailbox *mb = runtime_mailbox();
    if (mb->magic != STASIS_MAILBOX_MAGIC || mb->version != STASIS_MAILBOX_VERSION)
        restart_failed("the restorer left no valid mailbox");
    config_apply_mailbox(mb);
    const struct stasis_config *c = config_get();
    log_configure(c->tmpdir, runtime_program(), c->debug);
    log_reopen();
    /* memory handed out during the checkpoint was not saved: forget it */
    scratch_forget_all();
    fds_forget();
    ckpt_state.restarted = 1;
    if (threads_wait_restarted(10000) < 0)
        restart_failed("a restored thread did not come back");
    const void *meta = (const void *)mb->metadata_address;
    uint64_t meta_length = mb->metadata_length;
    const void *process_section, *fds_section, *signals_section;
    uint64_t process_length, fds_length, signals_length;
    if (img_find_section(meta, meta_length, IMG_SEC_PROCESS, 0, &process_section, &process_length) < 0 ||
        img_find_section(meta, meta_length, IMG_SEC_FDS, 0, &fds_section, &fds_length) < 0 ||
        img_find_section(meta, meta_length, IMG_SEC_SIGNALS, 0, &signals_section, &signals_length) < 0)
        restart_failed("the image's metadata is incomplete");
    struct img_process *process = &ckpt_state.restored;
    struct rbuf r;
    rb_init(&r, process_section, process_length);
    if (img_decode_process(&r, process) < 0)
        restart_failed("the image's PROCESS section is malformed");
    char why[512] = "";
    if (procstate_restore(process, signals_section, signals_length, why, sizeof why) < 0 ||
        fds_restore(fds_section, fds_length, (const struct stasis_restart_share *)mb->shares_address,
                    (int)mb->share_count, why, sizeof why) < 0)
        restart_failed(why);
    if (mb->set_mm_result < 0)
        LOG_WARN("the kernel refused PR_SET_MM_MAP (%s): brk and /proc/self/cmdline are the restarter's",
                 errtext(mb->set_mm_result));
    plugins_set_metadata(meta, meta_length);
    /* registered before the plugins' RESTART, so that they can publish names there */
    int registered = do_register(1, 0);
    if (registered == -EEXIST) /* the image was restarted while the process it came from runs */
        restart_failed(coord_refusal());
    int connected = registered == 0;
    if (!connected)
        LOG_WARN("restarted without a coordinator at %s:%u; will keep trying", c->coord_host, c->coord_port);
    const char *failed = NULL;
    int rc = plugins_dispatch(STASIS_EVENT_RESTART, ckpt_state.generation, &failed);
    if (rc < 0) {
        const char *reason = plugins_failure_reason();
        if (reason[0])
            stasis_fmt(why, sizeof why, "%s", reason);
        else
            stasis_fmt(why, sizeof why, "plugin %s could not restore its resources (%s)", failed, errtext(rc));
        restart_failed(why);
    }
    if (connected && barrier("RESTARTED") < 0)
        restart_failed("the coordinator aborted the restart");
    plugins_dispatch(STASIS_EVENT_REFILL, ckpt_state.generation, NULL);
    if (connected && barrier("REFILLED") < 0)
        restart_failed("the coordinator aborted the restart");
    plugins_set_metadata(NULL, 0);
    uint64_t restorer = mb->restorer_start, restorer_length = mb->restorer_length;
    mb->metadata_address = mb->restorer_start = mb->pids_address = mb->shares_address = 0;
    mb->pid_count = mb->share_count = 0;
    if (restorer)
        sys2(SYS_munmap, (long)restorer, (long)restorer_length);
    struct timespec now;
    sys2(SYS_clock_gettime, CLOCK_REALTIME, (long)&now);
    LOG_DEBUG("restart complete in %ld ms",
              (long)(((uint64_t)now.tv_sec * 1000000000 + (uint64_t)now.tv_nsec - mb->restart_started_ns) / 1000000));
    /* from now on a lost connection registers again as a running process (a
     * coordinator restarted on the same port adopts it) */
    ckpt_state.restarted = 0;
    threads_resume_all();
    guard_unlock_exclusive(); /* closed when the image was written */
}

/* ---- the thread ---- */

static void *ckpt_thread_main(void *arg)
{
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, NULL);
    sys2(SYS_prctl, PR_SET_NAME, (long)"stasis:ckpt");
    static const struct plugins_coordinator coordinator = {barrier, publish, lookup};
    plugins_set_coordinator(&coordinator);
    int backoff_ms = 100;
    for (;;) {
        if (!coord_is_connected()) {
            int r = do_register(ckpt_state.restarted, 1);
            if (!ckpt_state.attempted) {
                __atomic_store_n(&ckpt_state.attempted, 1, __ATOMIC_RELEASE);
                futex_wake(&ckpt_state.attempted, 0x7fffffff);
            }
            if (r < 0) {
                if (backoff_ms < 5000) /* say it while backing off, not every 5 s forever */
                    LOG_DEBUG("coordinator %s:%u unreachable (%s)", config_get()->coord_host,
                              config_get()->coord_port, errtext(r));
                struct timespec pause = {backoff_ms / 1000, (backoff_ms % 1000) * 1000000L};
                sys2(SYS_nanosleep, (long)&pause, 0);
                backoff_ms = backoff_ms * 2 > 5000 ? 5000 : backoff_ms * 2;
                continue;
            }
            backoff_ms = 100;
        }
        struct coord_message m;
        int r = coord_receive(&m, -1);
        if (r < 0)
            __atomic_store_n(&ckpt_state.registered, 0, __ATOMIC_RELEASE);
        if (r <= 0)
            continue;
        switch (m.type) {
        case MSG_CHECKPOINT: {
            struct msg_checkpoint *c = &ckpt_state.request;
            if (proto_decode_checkpoint(&m.body, c) < 0)
                LOG_WARN("ignoring a malformed CHECKPOINT");
            else
                checkpoint_run(c->generation, c->dir, c->computation_size);
            break;
        }
        case MSG_KILL:
            coord_call_killed();
            break;
        default:
            break;
        }
    }
    return NULL;
}

/* Wait until *word is not zero. 0, or -1 on timeout. */
static int wait_for(volatile int *word, int timeout_ms)
{
    int64_t deadline = monotonic_ns() + (int64_t)timeout_ms * 1000000;
    while (!__atomic_load_n(word, __ATOMIC_ACQUIRE)) {
        int64_t left = deadline - monotonic_ns();
        if (left <= 0)
            return -1;
        struct timespec slice = {0, left > 50000000 ? 50000000 : left};
        futex_wait(word, 0, &slice);
    }
    return 0;
}

int ckpt_thread_wait_registered(int timeout_ms)
{
    return wait_for(&ckpt_state.registered, timeout_ms);
}

int ckpt_thread_wait_first_attempt(int timeout_ms)
{
    if (wait_for(&ckpt_state.attempted, timeout_ms) < 0)
        return -1;
    return __atomic_load_n(&ckpt_state.registered, __ATOMIC_ACQUIRE) ? 0 : -1;
}

int ckpt_thread_start_in_child(void)
{
    /* the parent's checkpoint thread did not follow us through fork */
    ckpt_state.restarted = 0;
    ckpt_state.registered = 0;
    ckpt_state.attempted = 0;
    return ckpt_thread_start();
}

int ckpt_thread_start(void)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int r = pthread_create(&ckpt_state.thread, &attr, ckpt_thread_main, NULL);
    pthread_attr_destroy(&attr);
    return r ? -r : 0;
}
