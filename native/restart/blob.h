/* The restorer blob: position-independent, freestanding code that stasis-restart
 * copies to a free spot of the address space and jumps into once every page of
 * the image is loaded at a temporary address. From there on libc is gone: the
 * blob unmaps the restarter, moves the kernel's vDSO and the loaded regions to
 * their saved addresses (mremap, no copying), fixes the kernel's idea of brk and
 * the stack (PR_SET_MM_MAP), and resumes every saved thread. Everything it needs
 * is in struct blob_args, inside its own mapping. */
#ifndef STASIS_BLOB_H
#define STASIS_BLOB_H

#include <linux/prctl.h>
#include <stdint.h>

#include "../common/mailbox.h"

struct blob_range {
    uint64_t start, length;
};

struct blob_move {
    uint64_t from, to, length;
    uint32_t prot;
    uint32_t reserved;
};

struct blob_thread {
    uint64_t fs_base, tid_address, robust_head, robust_len, rseq_address;
    uint32_t rseq_length, rseq_signature;
    uint64_t context[8];   /* rbx rbp r12 r13 r14 r15 rsp rip */
    uint32_t is_main;
    uint32_t reserved;
};

struct blob_args {
    uint64_t staging, staging_length;   /* reserved hole where the vDSO waits between moves */
    struct blob_range *unmap;           /* the restarter's own mappings */
    uint32_t unmap_count;
    uint32_t special_count;
    struct blob_move *special;          /* [vvar], [vvar_vclock], [vdso] */
    struct blob_move *moves;            /* loaded regions → saved addresses */
    uint32_t move_count;
    uint32_t thread_count;
    struct blob_thread *threads;
    struct prctl_mm_map mm;
    uint32_t use_mm;
    uint32_t main_thread_gone;
    struct stasis_mailbox *mailbox;     /* filled by the restarter, copied to mailbox_target */
    uint64_t mailbox_target;
    char message[256];                  /* "stasis-restart: … step " for fd 2 if a move fails */
};

/* In the restarter's own text: switch to stack_top and call entry(args). */
void blob_enter(void (*entry)(struct blob_args *), struct blob_args *args, void *stack_top)
    __attribute__((noreturn));

/* The blob's code is the section stasis_blob of stasis-restart. */
extern const char __start_stasis_blob[], __stop_stasis_blob[];
void blob_main(struct blob_args *args) __attribute__((noreturn));

#endif
