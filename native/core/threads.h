/* Freezing and thawing the program's threads around a checkpoint.
 *
 * The checkpoint thread sends the checkpoint signal to every other thread; each
 * one records what only it can read about itself (TLS pointer, robust list, rseq,
 * name), saves its context and waits on a futex. After a restart the restorer
 * resumes each saved context in a new kernel thread, which reports its new tid and
 * waits again until the checkpoint thread has put the process back together. */
#ifndef STASIS_THREADS_H
#define STASIS_THREADS_H

#include <signal.h>
#include <stdint.h>

#include "context.h"

enum slot_state { SLOT_FREE = 0, SLOT_SIGNALED, SLOT_SUSPENDED, SLOT_GONE };

struct thread_slot {
    volatile int state;
    int kernel_tid;          /* at checkpoint */
    int known_tid;           /* glibc's copy: the id the program knows it by */
    volatile int new_tid;    /* after restart */
    int flags;               /* IMG_THREAD_* */
    struct stasis_ctx ctx;
    uint64_t fs_base;
    uint64_t robust_head, robust_len;
    uint64_t rseq_address;
    uint32_t rseq_length, rseq_signature;
    stack_t altstack;
    char comm[16];
    /* the system call the thread was blocked in when signalled (from /proc), so the
     * handler can restart it if the signal made it fail with EINTR */
    long blocked_nr;          /* -1: none known */
    uint64_t blocked_args[6];
    uint64_t blocked_pc;
};

int threads_init(int sigckpt);
/* The glibc thread descriptor keeps the thread's kernel id at this offset from the
 * TLS pointer (found at start-up by looking for our own tid); -1 if not found. */
long threads_tid_offset(void);
int threads_signal(void);

/* Checkpoint thread only. 0 when every other thread is frozen, -1 on timeout. */
int threads_suspend_all(int timeout_ms);
void threads_resume_all(void);
/* The checkpoint thread records itself as one more slot (its context is taken by
 * the caller right before the image is written). */
struct thread_slot *threads_ckpt_slot(void);
int threads_count(void);
struct thread_slot *threads_slot(int i);
/* After restart: wait until every restored thread has reported its new tid. */
int threads_wait_restarted(int timeout_ms);
/* Time a thread was frozen at, and how many checkpoints it went through: the
 * sleep wrappers use these to finish an interrupted sleep. */
uint64_t threads_self_checkpoints(void);
int64_t threads_self_suspended_at_ns(void);

/* glibc's tid word of a thread whose TLS pointer is fs_base, or NULL */
int *threads_descriptor_tid(uint64_t fs_base);

/* In a forked child: only the forking thread exists. */
void threads_reset_after_fork(void);

/* user handler bookkeeping for the checkpoint signal (see wrap_signal.c) */
void threads_set_user_action(const struct sigaction *act);
void threads_get_user_action(struct sigaction *act);

#endif
