#include "mem_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <lz4.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

#include "../common/crc32c.h"
#include "../common/sys.h"
#include "log.h"
#include "scratch.h"

#define PAGE 4096u
#define ITEM_PAGES (IMG_BLOCK_MAX_RAW / PAGE)
#define OUT_CAPACITY ((size_t)LZ4_COMPRESSBOUND(IMG_BLOCK_MAX_RAW))
#define MAX_WORKERS 64
#define WORKER_STACK (256 * 1024)
#define PAGEMAP_BATCH 8192
#define PAGE_PRESENT (1ull << 63)
#define PAGE_SWAPPED (1ull << 62)
#define PROGRESS_STEP (64ull << 20)

long stasis_clone(unsigned long flags, void *stack_top, volatile int *child_tid, int (*fn)(void *), void *arg);

/* A run of at most ITEM_PAGES pages that may hold data; workers turn it into
 * zero or more blocks (all-zero pages are left out). */
struct work_item {
    uint64_t address;
    uint32_t pages;
    uint32_t reserved;
};

struct work_slot {
    volatile int done;                     /* index of the finished item + 1 */
    int iov_count;
    uint64_t raw_bytes;
    struct iovec iov[2 * ITEM_PAGES];
    unsigned char headers[ITEM_PAGES][IMG_BLOCK_HEADER_SIZE];
    unsigned char *out;                    /* compressed payloads */
};

struct pipeline;

struct worker {
    volatile int tid;                      /* cleared by the kernel when it exits */
    void *stack;
    void *lz4_state;
    struct pipeline *pipeline;
};

struct pipeline {
    struct work_item *items;
    uint64_t item_count, item_capacity;
    struct work_slot *slots;
    int slot_count;
    unsigned char *outs;
    volatile int next_item;
    volatile int written;
    volatile int abort;
    struct worker workers[MAX_WORKERS];
    int worker_count;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the plan: what each mapping becomes ---- */

static int is_deleted_or_special(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '/' || (n > 10 && strcmp(name + n - 10, " (deleted)") == 0) ||
           strncmp(name, "/dev/zero", 9) == 0 || strncmp(name, "/SYSV", 5) == 0 || strncmp(name, "/memfd:", 7) == 0;
}

int memory_plan_build(struct memory_plan *plan, const struct maps *maps)
{
    plan->capacity = (uint64_t)maps->count + 1;
    plan->regions = scratch_alloc(plan->capacity * sizeof *plan->regions);
    if (!plan->regions)
        return -ENOMEM;
    plan->count = 0;
    plan->data_bytes = 0;
    for (int i = 0; i < maps->count; i++) {
        const struct map_entry *e = &maps->entries[i];
        if (strcmp(e->name, "[vsyscall]") == 0 || scratch_owns(e->start, e->end))
            continue;
        struct region_plan *rp = &plan->regions[plan->count++];
        struct img_region *r = &rp->region;
        memset(rp, 0, sizeof *rp);
        r->start = e->start;
        r->end = e->end;
        r->prot = e->prot;
        rp->saved_prot = e->prot;
        r->file_offset = e->offset;
        r->inode = e->inode;
        r->dev_major = e->dev_major;
        r->dev_minor = e->dev_minor;
        size_t n = strlen(e->name);
        if (n >= sizeof r->name)
            n = sizeof r->name - 1;
        memcpy(r->name, e->name, n);
        r->name[n] = 0;
        if (strcmp(e->name, "[vdso]") == 0) {
            r->flags = IMG_REG_VDSO;
            /* restart refuses a kernel whose vDSO differs: glibc holds pointers into it */
            r->inode = stasis_crc32c(0, (const void *)e->start, e->end - e->start);
            continue;
        }
        if (strcmp(e->name, "[vvar]") == 0) {
            r->flags = IMG_REG_VVAR;
            continue;
        }
        if (strcmp(e->name, "[vvar_vclock]") == 0) {
            r->flags = IMG_REG_VVAR_VCLOCK;
            continue;
        }
        if (strcmp(e->name, "[heap]") == 0)
            r->flags |= IMG_REG_HEAP;
        if (strcmp(e->name, "[stack]") == 0)
            r->flags |= IMG_REG_STACK;
        if (e->inode)
            r->flags |= IMG_REG_FILE;
        if (e->shared) {
            r->flags |= IMG_REG_SHARED;
            /* a shared mapping of a file that still exists: the file holds the data */
            if (e->inode && !is_deleted_or_special(e->name)) {
                r->flags |= IMG_REG_REMAP_FILE;
                continue;
            }
        }
        r->flags |= IMG_REG_HAS_DATA;
        plan->data_bytes += e->end - e->start;
    }
    return 0;
}

int memory_plan_encode(const struct memory_plan *plan, struct wbuf *out)
{
    wb_u32(out, (uint32_t)plan->count);
    for (int i = 0; i < plan->count; i++)
        img_encode_region(out, &plan->regions[i].region);
    return out->overflow ? -ENOSPC : 0;
}

void memory_plan_release(struct memory_plan *plan)
{
    scratch_free(plan->regions, plan->capacity * sizeof *plan->regions);
    plan->regions = NULL;
    plan->count = 0;
}

/* ---- choosing pages ---- */

static int add_item(struct pipeline *pl, uint64_t address, uint32_t pages)
{
    if (pl->item_count == pl->item_capacity) {
        uint64_t capacity = pl->item_capacity ? pl->item_capacity * 2 : 65536;
        struct work_item *items = scratch_alloc(capacity * sizeof *items);
        if (!items)
            return -ENOMEM;
        if (pl->items)
            memcpy(items, pl->items, pl->item_count * sizeof *items);
        scratch_free(pl->items, pl->item_capacity * sizeof *items);
        pl->items = items;
        pl->item_capacity = capacity;
    }
    pl->items[pl->item_count++] = (struct work_item){address, pages, 0};
    return 0;
}

/* Items for consecutive pages [first, first+count) of data. */
static int add_run(struct pipeline *pl, uint64_t first, uint64_t count)
{
    while (count) {
        uint32_t n = count > ITEM_PAGES ? ITEM_PAGES : (uint32_t)count;
        int r = add_item(pl, first, n);
        if (r)
            return r;
        first += (uint64_t)n * PAGE;
        count -= n;
    }
    return 0;
}

/* Anonymous pages the program never touched are neither present nor swapped:
 * they are zero and cost nothing (pagemap(5)). */
static int add_present_pages(struct pipeline *pl, int pagemap, struct region_plan *rp, uint64_t *buf)
{
    struct img_region *r = &rp->region;
    uint64_t pages = (r->end - r->start) / PAGE;
    uint64_t run_start = 0, run_length = 0;
    int made_readable = 0;
    for (uint64_t done = 0; done < pages;) {
        uint64_t n = pages - done > PAGEMAP_BATCH ? PAGEMAP_BATCH : pages - done;
        long got = sys4(SYS_pread64, pagemap, (long)buf, (long)(n * 8), (long)((r->start / PAGE + done) * 8));
        if (got != (long)(n * 8))
            return got < 0 ? (int)got : -EIO;
        for (uint64_t i = 0; i < n; i++) {
            uint64_t address = r->start + (done + i) * PAGE;
            if (buf[i] & (PAGE_PRESENT | PAGE_SWAPPED)) {
                if (!(r->prot & PROT_READ) && !made_readable) {
                    /* data behind PROT_NONE/write-only: readable for the copy only */
                    if (sys3(SYS_mprotect, (long)r->start, (long)(r->end - r->start), (long)(r->prot | PROT_READ)))
                        return -EACCES;
                    made_readable = 1;
                }
                if (run_length && run_start + run_length * PAGE == address) {
                    run_length++;
                } else {
                    if (run_length && add_run(pl, run_start, run_length))
                        return -ENOMEM;
                    run_start = address;
                    run_length = 1;
                }
            }
        }
        done += n;
    }
    if (made_readable)
        rp->saved_prot = r->prot | 0x80000000u; /* mark: restore prot after writing */
    return run_length ? add_run(pl, run_start, run_length) : 0;
}

static int past_the_end(uint64_t address)
{
    return sys3(SYS_madvise, (long)address, PAGE, MADV_POPULATE_READ) == -EFAULT;
}

/* Pages of a mapping that lie wholly past the end of its file (a mapping made
 * larger than the file, or a file truncated since) cannot be read: the copy would
 * take SIGBUS and kill the program. They hold nothing either, so only the part
 * before the end is saved. MADV_POPULATE_READ reports such a page with EFAULT
 * instead of the signal (Linux 5.14; older kernels say EINVAL and are trusted as
 * before). The end is where the file ends: what lies past it is a suffix, found by
 * bisection after one probe of the last page. Device memory the kernel will not
 * fault in for anyone (VM_IO, VM_PFNMAP) answers EFAULT as well and is saved
 * empty: its contents are the device's, not the program's. */
static uint64_t pages_before_end(const struct img_region *r)
{
    uint64_t pages = (r->end - r->start) / PAGE;
    if (!pages || !past_the_end(r->end - PAGE))
        return pages;
    uint64_t lo = 0, hi = pages - 1; /* hi is past the end; every page below lo is not */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (past_the_end(r->start + mid * PAGE))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int build_items(struct pipeline *pl, struct memory_plan *plan)
{
    long pagemap = sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/pagemap", O_RDONLY | O_CLOEXEC, 0);
    if (pagemap < 0)
        return (int)pagemap;
    uint64_t *buf = scratch_alloc(PAGEMAP_BATCH * 8);
    int r = buf ? 0 : -ENOMEM;
    for (int i = 0; i < plan->count && !r; i++) {
        struct region_plan *rp = &plan->regions[i];
        struct img_region *g = &rp->region;
        if (!(g->flags & IMG_REG_HAS_DATA))
            continue;
        /* every page of a readable private file mapping or of shared memory
         * holds data even when this process never touched it */
        int all_pages = (g->prot & PROT_READ) && (g->flags & (IMG_REG_FILE | IMG_REG_SHARED));
        if (all_pages)
            r = add_run(pl, g->start, pages_before_end(g));
        else
            r = add_present_pages(pl, (int)pagemap, rp, buf);
    }
    scratch_free(buf, PAGEMAP_BATCH * 8);
    sys1(SYS_close, pagemap);
    return r;
}

static void restore_protections(struct memory_plan *plan)
{
    for (int i = 0; i < plan->count; i++) {
        struct region_plan *rp = &plan->regions[i];
        if (rp->saved_prot & 0x80000000u) {
            sys3(SYS_mprotect, (long)rp->region.start, (long)(rp->region.end - rp->region.start),
                 (long)rp->region.prot);
            rp->saved_prot = rp->region.prot;
        }
    }
}

/* ---- compression workers ---- */

static int page_is_zero(const unsigned char *page)
{
    const uint64_t *w = (const uint64_t *)page;
    for (unsigned i = 0; i < PAGE / 8; i += 4)
        if (w[i] | w[i + 1] | w[i + 2] | w[i + 3])
            return 0;
    return 1;
}

static void compress_item(const struct work_item *item, struct work_slot *slot, void *lz4_state)
{
    const unsigned char *p = (const unsigned char *)item->address;
    const unsigned char *end = p + (uint64_t)item->pages * PAGE;
    unsigned char *out = slot->out;
    size_t out_left = OUT_CAPACITY;
    int blocks = 0;
    slot->iov_count = 0;
    slot->raw_bytes = (uint64_t)item->pages * PAGE;
    while (p < end) {
        while (p < end && page_is_zero(p))
            p += PAGE;
        if (p == end)
            break;
        const unsigned char *q = p + PAGE;
        while (q < end && !page_is_zero(q))
            q += PAGE;
        uint32_t raw = (uint32_t)(q - p);
        struct img_block_header b = {.address = (uint64_t)p, .raw_length = raw};
        int n = out_left >= 64 ? LZ4_compress_fast_extState(lz4_state, (const char *)p, (char *)out, (int)raw,
                                                            out_left > INT_MAX ? INT_MAX : (int)out_left, 1)
                               : 0;
        const void *payload;
        /* keep it compressed only if that saves something worth a decode */
        if (n > 0 && (uint32_t)n < raw - raw / 32) {
            b.encoding = IMG_ENC_LZ4;
            b.stored_length = (uint32_t)n;
            payload = out;
            out += n;
            out_left -= (size_t)n;
        } else {
            b.encoding = IMG_ENC_RAW;
            b.stored_length = raw;
            payload = p;
        }
        b.crc = stasis_crc32c(0, payload, b.stored_length);
        img_encode_block_header(slot->headers[blocks], &b);
        slot->iov[slot->iov_count++] = (struct iovec){slot->headers[blocks], IMG_BLOCK_HEADER_SIZE};
        slot->iov[slot->iov_count++] = (struct iovec){(void *)payload, b.stored_length};
        blocks++;
        p = q;
    }
}

static int worker_main(void *arg)
{
    struct worker *me = arg;
    struct pipeline *pl = me->pipeline;
    for (;;) {
        int i = __atomic_fetch_add(&pl->next_item, 1, __ATOMIC_ACQ_REL);
        if ((uint64_t)i >= pl->item_count)
            return 0;
        /* the slot is free once the item it held nslots ago has been written */
        for (;;) {
            int written = __atomic_load_n(&pl->written, __ATOMIC_ACQUIRE);
            if (written + pl->slot_count > i || __atomic_load_n(&pl->abort, __ATOMIC_ACQUIRE))
                break;
            futex_wait(&pl->written, written, NULL);
        }
        if (__atomic_load_n(&pl->abort, __ATOMIC_ACQUIRE))
            return 0;
        struct work_slot *slot = &pl->slots[i % pl->slot_count];
        compress_item(&pl->items[i], slot, me->lz4_state);
        __atomic_store_n(&slot->done, i + 1, __ATOMIC_RELEASE);
        futex_wake(&slot->done, 1);
    }
}

static int start_workers(struct pipeline *pl, int count)
{
    int state_size = LZ4_sizeofState();
    for (int k = 0; k < count; k++) {
        struct worker *w = &pl->workers[k];
        w->pipeline = pl;
        w->stack = scratch_alloc(WORKER_STACK);
        w->lz4_state = scratch_alloc((size_t)state_size);
        if (!w->stack || !w->lz4_state)
            return -ENOMEM;
        w->tid = 1;
        /* No CLONE_SETTLS: workers share the checkpoint thread's TLS, which only the
         * stack protector reads; they call nothing that writes TLS (no errno). */
        long r = stasis_clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                                  CLONE_CHILD_CLEARTID,
                              (char *)w->stack + WORKER_STACK, &w->tid, worker_main, w);
        if (r < 0) {
            w->tid = 0;
            return (int)r;
        }
        pl->worker_count++;
    }
    return 0;
}

static void join_workers(struct pipeline *pl)
{
    for (int k = 0; k < pl->worker_count; k++) {
        struct worker *w = &pl->workers[k];
        int tid;
        while ((tid = __atomic_load_n(&w->tid, __ATOMIC_ACQUIRE)) != 0)
            futex_wait_shared(&w->tid, tid, NULL);
    }
}

static void release_pipeline(struct pipeline *pl)
{
    for (int k = 0; k < MAX_WORKERS; k++) {
        scratch_free(pl->workers[k].stack, WORKER_STACK);
        scratch_free(pl->workers[k].lz4_state, (size_t)LZ4_sizeofState());
    }
    scratch_free(pl->slots, (size_t)pl->slot_count * sizeof *pl->slots);
    scratch_free(pl->outs, (size_t)pl->slot_count * OUT_CAPACITY);
    scratch_free(pl->items, pl->item_capacity * sizeof *pl->items);
    scratch_free(pl, sizeof *pl);
}

int memory_write(struct image_writer *w, struct memory_plan *plan, int threads, progress_fn progress,
                 void *progress_arg)
{
    struct pipeline *pl = scratch_alloc(sizeof *pl);
    if (!pl)
        return -ENOMEM;
    memset(pl, 0, sizeof *pl);
    int64_t t_start = now_ns();
    int r = build_items(pl, plan);
    int64_t t_items = now_ns(), waiting = 0, writing = 0;
    uint64_t total = 0;
    for (uint64_t i = 0; i < pl->item_count; i++)
        total += (uint64_t)pl->items[i].pages * PAGE;
    threads = threads < 1 ? 1 : threads > MAX_WORKERS ? MAX_WORKERS : threads;
    pl->slot_count = 2 * threads + 2;
    if (!r) {
        pl->slots = scratch_alloc((size_t)pl->slot_count * sizeof *pl->slots);
        pl->outs = scratch_alloc((size_t)pl->slot_count * OUT_CAPACITY);
        r = pl->slots && pl->outs ? 0 : -ENOMEM;
    }
    if (!r) {
        for (int s = 0; s < pl->slot_count; s++) {
            pl->slots[s].done = 0;
            pl->slots[s].out = pl->outs + (size_t)s * OUT_CAPACITY;
        }
        r = start_workers(pl, threads);
    }
    /* at worst every page is stored raw, each block with its header */
    iw_reserve(w, total + (pl->item_count + 1) * 2 * IMG_BLOCK_HEADER_SIZE + IMG_TRAILER_SIZE);
    iw_memory_begin(w);
    uint64_t done = 0, reported = 0;
    for (uint64_t i = 0; !r && i < pl->item_count; i++) {
        struct work_slot *slot = &pl->slots[i % (uint64_t)pl->slot_count];
        int d;
        int64_t t0 = now_ns();
        while ((d = __atomic_load_n(&slot->done, __ATOMIC_ACQUIRE)) != (int)i + 1)
            futex_wait(&slot->done, d, NULL);
        int64_t t1 = now_ns();
        iw_blocks(w, slot->iov, slot->iov_count);
        waiting += t1 - t0;
        writing += now_ns() - t1;
        if (w->error)
            r = w->error;
        __atomic_store_n(&pl->written, (int)i + 1, __ATOMIC_RELEASE);
        futex_wake(&pl->written, INT_MAX);
        done += slot->raw_bytes;
        if (progress && done - reported >= PROGRESS_STEP) {
            progress(done, total, progress_arg);
            reported = done;
        }
    }
    if (r) {
        __atomic_store_n(&pl->abort, 1, __ATOMIC_RELEASE);
        futex_wake(&pl->written, INT_MAX);
    }
    join_workers(pl);
    restore_protections(plan);
    if (progress)
        progress(total, total, progress_arg);
    LOG_DEBUG("memory: %lu items, %lu bytes of candidate pages, %lu payload bytes; pagemap %ld ms, waiting for "
              "compression %ld ms, writing %ld ms", (unsigned long)pl->item_count, (unsigned long)total,
              (unsigned long)w->payload_bytes, (long)((t_items - t_start) / 1000000), (long)(waiting / 1000000),
              (long)(writing / 1000000));
    release_pipeline(pl);
    return r;
}
