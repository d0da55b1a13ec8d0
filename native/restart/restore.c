/* Restoring one process from its image, in the process that will become it:
 * everything that can fail is checked first (the image's memory is loaded and
 * verified at temporary addresses, the kernel's vDSO compared, files of shared
 * mappings opened); then the process waits until every process of the restart is
 * as far (restore_plan.ready), and only then the blob takes over. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../common/crc32c.h"
#include "../common/image_read.h"
#include "../common/mailbox.h"
#include "../common/path_map.h"
#include "blob.h"
#include "layout.h"
#include "loader.h"
#include "restore.h"

#define PAGE 4096ull
#define BLOB_STACK (256 * 1024ull)
#define RSEQ_SIG 0x53053053
#define RSEQ_FLAG_UNREGISTER 1

static const struct restore_plan *current_plan;

static int cannot_restore(const char *why)
{
    fprintf(stderr, "stasis-restart: cannot restore: %s\n", why);
    if (current_plan && current_plan->ready)
        current_plan->ready(current_plan->arg, why);
    return EXIT_CANNOT_RESTORE;
}

int restore_loader_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

struct current_special {
    uint64_t start, end;
};

/* Where the kernel put [vdso], [vvar], [vvar_vclock] for this process. */
static int find_current(const char *name, struct current_special *out)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        return -1;
    char line[4200];
    int found = -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        unsigned long long a, b;
        char label[256] = "";
        if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %255s", &a, &b, label) >= 2 && strcmp(label, name) == 0) {
            out->start = a;
            out->end = b;
            found = 0;
        }
    }
    fclose(f);
    return found;
}

/* glibc holds pointers into the vDSO: it must be the same code, at the same size */
static int check_specials(const struct image *img, struct blob_move *moves, uint32_t *count, char *why, size_t cap)
{
    static const char *const names[] = {"[vvar]", "[vvar_vclock]", "[vdso]"};
    *count = 0;
    for (int k = 0; k < 3; k++) {
        const struct img_region *saved = NULL;
        for (uint32_t i = 0; i < img->region_count; i++)
            if (strcmp(img->regions[i].name, names[k]) == 0 && (img->regions[i].flags & IMG_REG_SPECIAL))
                saved = &img->regions[i];
        struct current_special now;
        int present = find_current(names[k], &now) == 0;
        if (!saved && !present)
            continue;
        if (!saved || !present || now.end - now.start != saved->end - saved->start) {
            snprintf(why, cap, "this kernel's %s differs from the checkpointed one (another kernel version?)",
                     names[k]);
            return -1;
        }
        if ((saved->flags & IMG_REG_VDSO) &&
            stasis_crc32c(0, (const void *)now.start, now.end - now.start) != (uint32_t)saved->inode) {
            snprintf(why, cap, "this kernel's vDSO is not the one the program was using (another kernel version?)");
            return -1;
        }
        moves[*count] = (struct blob_move){now.start, saved->start, now.end - now.start, saved->prot, 0};
        (*count)++;
    }
    return 0;
}

static void copy_string(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static void fill_mailbox(struct stasis_mailbox *m, const char *image_path, uint64_t started_ns, const char *secret_hex)
{
    memset(m, 0, sizeof *m);
    m->magic = STASIS_MAILBOX_MAGIC;
    m->version = STASIS_MAILBOX_VERSION;
    const char *debug = getenv("STASIS_DEBUG");
    m->debug = debug && *debug && strcmp(debug, "0") != 0;
    m->restart_started_ns = started_ns;
    const char *host = getenv("STASIS_COORD_HOST");
    copy_string(m->coord_host, sizeof m->coord_host, host && *host ? host : "127.0.0.1");
    const char *port = getenv("STASIS_COORD_PORT");
    m->coord_port = port && *port ? (uint32_t)atoi(port) : 7779;
    copy_string(m->secret_hex, sizeof m->secret_hex, secret_hex);
    const char *dir = getenv("STASIS_CKPT_DIR");
    char image_dir[4096];
    copy_string(image_dir, sizeof image_dir, image_path);
    copy_string(m->ckpt_dir, sizeof m->ckpt_dir, dir && *dir ? dir : dirname(image_dir));
    const char *tmp = getenv("STASIS_TMPDIR");
    if (!tmp || !*tmp)
        tmp = getenv("TMPDIR");
    copy_string(m->tmpdir, sizeof m->tmpdir, tmp && *tmp ? tmp : "/tmp");
    copy_string(m->image_path, sizeof m->image_path, image_path);
}

/* The restored process gets only numeric addresses: it cannot use the resolver. */
static int numeric_host(struct stasis_mailbox *m)
{
    unsigned char addr[16];
    if (strcmp(m->coord_host, "localhost") == 0)
        copy_string(m->coord_host, sizeof m->coord_host, "127.0.0.1");
    return inet_pton(AF_INET, m->coord_host, addr) == 1 || inet_pton(AF_INET6, m->coord_host, addr) == 1;
}

static int inside(uint64_t start, uint64_t end, uint64_t lo, uint64_t length)
{
    return length && start >= lo && end <= lo + length;
}

/* Every mapping of the restarter that is not needed by the blob. */
static uint32_t list_unmaps(struct blob_range *out, uint32_t cap, const struct premap *premaps, uint32_t npremaps,
                            uint64_t blob, uint64_t blob_length, uint64_t staging, uint64_t staging_length)
{
    FILE *f = fopen("/proc/self/maps", "re");
    if (!f)
        return 0;
    char line[4200];
    uint32_t n = 0;
    while (fgets(line, sizeof line, f) && n < cap) {
        unsigned long long a, b;
        char label[256] = "";
        if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %255s", &a, &b, label) < 2)
            continue;
        if (label[0] == '[' && (strcmp(label, "[vdso]") == 0 || strcmp(label, "[vvar]") == 0 ||
                                strcmp(label, "[vvar_vclock]") == 0 || strcmp(label, "[vsyscall]") == 0))
            continue;
        if (inside(a, b, blob, blob_length) || inside(a, b, staging, staging_length))
            continue;
        int premapped = 0;
        for (uint32_t i = 0; i < npremaps && !premapped; i++)
            premapped = inside(a, b, premaps[i].address, premaps[i].length);
        if (!premapped)
            out[n++] = (struct blob_range){a, b - a};
    }
    fclose(f);
    return n;
}

static void unregister_rseq(void)
{
    extern const ptrdiff_t __rseq_offset __attribute__((weak));
    extern const unsigned int __rseq_size __attribute__((weak));
    if (!&__rseq_offset || !&__rseq_size || !__rseq_size)
        return;
    char *area = (char *)__builtin_thread_pointer() + __rseq_offset;
    if (syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) != 0)
        syscall(SYS_rseq, area, __rseq_size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

static uint64_t round_up(uint64_t v)
{
    return (v + PAGE - 1) & ~(PAGE - 1);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int restore_image(struct image *img, const char *image_path, const struct restore_plan *plan)
{
    const struct timespec *started = &plan->started;
    current_plan = plan;
    char why[1024];
    const char *debug = getenv("STASIS_DEBUG");
    int verbose = debug && *debug && strcmp(debug, "0") != 0;
    struct blob_move specials[3];
    uint32_t special_count;
    if (check_specials(img, specials, &special_count, why, sizeof why) < 0)
        return cannot_restore(why);
    struct layout layout;
    struct premap *premaps = calloc(img->region_count, sizeof *premaps);
    if (!premaps || layout_init(&layout, img) < 0)
        return cannot_restore("out of memory");
    if (layout_premap(&layout, img, plan->shm, plan->path_map, premaps, why, sizeof why) < 0)
        return cannot_restore(why);
    /* the mappings hold the shared objects now; the processes forked from this one
     * inherited theirs already */
    if (plan->shm)
        shm_close(plan->shm);
    if (loader_run(img, premaps, plan->shm, restore_loader_threads(), why, sizeof why) < 0) {
        fprintf(stderr, "stasis-restart: %s: %s\n", image_path, why);
        if (plan->ready)
            plan->ready(plan->arg, why);
        return EXIT_INVALID_IMAGE;
    }
    if (verbose)
        fprintf(stderr, "stasis-restart: %s: %llu bytes of memory loaded and verified after %.3f s\n", image_path,
                (unsigned long long)img->raw_bytes, seconds_since(started));

    /* the blob: code | args | arrays | mailbox | metadata copy | stack */
    uint64_t code_length = round_up((uint64_t)(__stop_stasis_blob - __start_stasis_blob));
    uint32_t unmap_cap = 16384;
    uint64_t data_length = sizeof(struct blob_args) + unmap_cap * sizeof(struct blob_range) +
                           3 * sizeof(struct blob_move) + img->region_count * sizeof(struct blob_move) +
                           img->thread_count * sizeof(struct blob_thread) + sizeof(struct stasis_mailbox) +
                           img->metadata_length + plan->pid_capacity * sizeof(struct stasis_restart_pid) +
                           plan->share_count * sizeof(struct stasis_restart_share) + path_map_size(plan->path_map) +
                           128;
    uint64_t blob_length = code_length + round_up(data_length) + BLOB_STACK;
    uint64_t blob = layout_map(&layout, blob_length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t staging_length = round_up(specials[0].length + specials[1].length + specials[2].length) + PAGE;
    uint64_t staging = layout_map(&layout, staging_length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                                  -1, 0);
    if (!blob || !staging)
        return cannot_restore("no room in the address space for the restorer");
    memcpy((void *)blob, __start_stasis_blob, (size_t)(__stop_stasis_blob - __start_stasis_blob));
    if (mprotect((void *)blob, code_length, PROT_READ | PROT_EXEC) < 0)
        return cannot_restore("cannot make the restorer executable");

    char *cursor = (char *)(blob + code_length);
    struct blob_args *a = (struct blob_args *)cursor;
    memset(a, 0, sizeof *a);
    cursor += (sizeof *a + 15) & ~15ul;
    a->staging = staging;
    a->staging_length = staging_length;
    a->special = (struct blob_move *)cursor;
    memcpy(a->special, specials, sizeof specials);
    a->special_count = special_count;
    cursor += sizeof specials;
    a->moves = (struct blob_move *)cursor;
    for (uint32_t i = 0; i < img->region_count; i++) {
        const struct img_region *r = &img->regions[i];
        if (r->flags & IMG_REG_SPECIAL)
            continue;
        a->moves[a->move_count++] = (struct blob_move){premaps[i].address, r->start, r->end - r->start, r->prot, 0};
    }
    cursor += img->region_count * sizeof(struct blob_move);
    a->threads = (struct blob_thread *)cursor;
    for (uint32_t i = 0; i < img->thread_count; i++) {
        const struct img_thread *t = &img->threads[i];
        struct blob_thread *bt = &a->threads[a->thread_count++];
        memset(bt, 0, sizeof *bt);
        bt->fs_base = t->fs_base;
        bt->tid_address = t->tid_address;
        bt->robust_head = t->robust_head;
        bt->robust_len = t->robust_len;
        bt->rseq_address = t->rseq_address;
        bt->rseq_length = t->rseq_length;
        bt->rseq_signature = t->rseq_signature;
        memcpy(bt->context, t->context, sizeof bt->context);
        bt->is_main = (t->flags & IMG_THREAD_MAIN) != 0;
        a->main_thread_gone |= 0;
    }
    int has_main = 0;
    for (uint32_t i = 0; i < a->thread_count; i++)
        has_main |= a->threads[i].is_main;
    a->main_thread_gone = !has_main;
    cursor += img->thread_count * sizeof(struct blob_thread);
    a->mailbox = (struct stasis_mailbox *)cursor;
    fill_mailbox(a->mailbox, image_path, plan->started_wall_ns, plan->secret_hex);
    if (!numeric_host(a->mailbox))
        return cannot_restore("STASIS_COORD_HOST must be a numeric address for stasis-restart");
    a->mailbox_target = img->process.restart_mailbox;
    cursor += (sizeof(struct stasis_mailbox) + 15) & ~15ul;
    memcpy(cursor, img->metadata, img->metadata_length);
    a->mailbox->metadata_address = (uint64_t)cursor;
    a->mailbox->metadata_length = img->metadata_length;
    a->mailbox->restorer_start = blob;
    a->mailbox->restorer_length = blob_length;
    cursor += (img->metadata_length + 15) & ~15ul;
    /* the other processes of this restart must be as far before anyone goes on; then
     * the table of their pids is complete */
    if (plan->ready && plan->ready(plan->arg, NULL) < 0)
        return EXIT_CANNOT_RESTORE;
    if (plan->pid_count) {
        memcpy(cursor, plan->pids, plan->pid_count * sizeof *plan->pids);
        a->mailbox->pids_address = (uint64_t)cursor;
        a->mailbox->pid_count = plan->pid_count;
        cursor += (plan->pid_count * sizeof *plan->pids + 15) & ~15ul;
    }
    if (plan->share_count) {
        memcpy(cursor, plan->shares, plan->share_count * sizeof *plan->shares);
        a->mailbox->shares_address = (uint64_t)cursor;
        a->mailbox->share_count = plan->share_count;
        cursor += (plan->share_count * sizeof *plan->shares + 15) & ~15ul;
    }
    if (plan->path_map && plan->path_map[0]) {
        size_t size = path_map_size(plan->path_map);
        memcpy(cursor, plan->path_map, size);
        a->mailbox->path_map_offset = (uint32_t)((uint64_t)cursor - blob);
        cursor += (size + 15) & ~15ul;
    }
    a->unmap = (struct blob_range *)cursor;

    const uint64_t *mm = img->process.mm;
    a->mm = (struct prctl_mm_map){
        .start_code = mm[MM_START_CODE], .end_code = mm[MM_END_CODE],
        .start_data = mm[MM_START_DATA], .end_data = mm[MM_END_DATA],
        .start_brk = mm[MM_START_BRK], .brk = mm[MM_BRK], .start_stack = mm[MM_START_STACK],
        .arg_start = mm[MM_ARG_START], .arg_end = mm[MM_ARG_END],
        .env_start = mm[MM_ENV_START], .env_end = mm[MM_ENV_END],
        .exe_fd = (uint32_t)-1,
    };
    a->use_mm = mm[MM_START_CODE] && mm[MM_START_BRK];
    snprintf(a->message, sizeof a->message, "stasis-restart: %.160s: restore failed after the point of no return, step ",
             image_path);

    /* nothing may interrupt the blob, and the new threads start with every signal
     * blocked until their own masks come back */
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    int fd = img->fd;
    img->fd = -1;
    close(fd);
    fflush(NULL);
    a->unmap_count = list_unmaps(a->unmap, unmap_cap, premaps, img->region_count, blob, blob_length, staging,
                                 staging_length);
    unregister_rseq();
    void (*entry)(struct blob_args *) = (void (*)(struct blob_args *))(blob + (uint64_t)((const char *)blob_main -
                                                                                         __start_stasis_blob));
    blob_enter(entry, a, (void *)(blob + blob_length));
}

