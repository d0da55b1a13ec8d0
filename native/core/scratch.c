#include "scratch.h"

#include <sys/mman.h>

#include "../common/sys.h"

#define SCRATCH_MAX 64

static struct scratch_state {
    struct {
        uint64_t start, end;
    } ranges[SCRATCH_MAX];
} scratch_state;

void *scratch_alloc(size_t len)
{
    len = (len + 4095) & ~(size_t)4095;
    int slot = -1;
    for (int i = 0; i < SCRATCH_MAX && slot < 0; i++)
        if (scratch_state.ranges[i].start == 0)
            slot = i;
    if (slot < 0)
        return NULL;
    long p = sys6(SYS_mmap, 0, (long)len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (SYS_IS_ERR(p))
        return NULL;
    /* MADV_DONTFORK also keeps the kernel from merging this mapping with a
     * neighbouring one of the program's, so /proc/self/maps shows it apart */
    sys3(SYS_madvise, p, (long)len, MADV_DONTFORK);
    scratch_state.ranges[slot].start = (uint64_t)p;
    scratch_state.ranges[slot].end = (uint64_t)p + len;
    return (void *)p;
}

void scratch_free(void *p, size_t len)
{
    if (!p)
        return;
    len = (len + 4095) & ~(size_t)4095;
    for (int i = 0; i < SCRATCH_MAX; i++)
        if (scratch_state.ranges[i].start == (uint64_t)p) {
            scratch_state.ranges[i].start = scratch_state.ranges[i].end = 0;
            break;
        }
    sys2(SYS_munmap, (long)p, (long)len);
}

int scratch_owns(uint64_t start, uint64_t end)
{
    for (int i = 0; i < SCRATCH_MAX; i++)
        if (scratch_state.ranges[i].start && start >= scratch_state.ranges[i].start &&
            end <= scratch_state.ranges[i].end)
            return 1;
    return 0;
}

void scratch_forget_all(void)
{
    for (int i = 0; i < SCRATCH_MAX; i++)
        scratch_state.ranges[i].start = scratch_state.ranges[i].end = 0;
}
