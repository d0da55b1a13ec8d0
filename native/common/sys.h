/* Raw system calls for code that must not touch libc: the checkpoint path (which
 * runs while other threads are frozen at arbitrary points, possibly inside malloc
 * or stdio) and the restorer blob (which runs after libc has been unmapped).
 * Each returns the kernel's value: >= 0 on success, -errno on failure. */
#ifndef STASIS_SYS_H
#define STASIS_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#define STASIS_INLINE static inline __attribute__((always_inline))

STASIS_INLINE long sys0(long n)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
    return r;
}
STASIS_INLINE long sys1(long n, long a)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a) : "rcx", "r11", "memory");
    return r;
}
STASIS_INLINE long sys2(long n, long a, long b)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b) : "rcx", "r11", "memory");
    return r;
}
STASIS_INLINE long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
STASIS_INLINE long sys4(long n, long a, long b, long c, long d)
{
    long r;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}
STASIS_INLINE long sys5(long n, long a, long b, long c, long d, long e)
{
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
    return r;
}
STASIS_INLINE long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

#define SYS_IS_ERR(r) ((unsigned long)(r) >= (unsigned long)-4095)

/* futex helpers: private futexes, the words live in one process */
#define STASIS_FUTEX_WAIT_PRIVATE 128 /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define STASIS_FUTEX_WAKE_PRIVATE 129

STASIS_INLINE long futex_wait(volatile int *word, int expected, const void *timeout)
{
    return sys4(SYS_futex, (long)word, STASIS_FUTEX_WAIT_PRIVATE, expected, (long)timeout);
}
/* For words the kernel clears on thread exit (CLONE_CHILD_CLEARTID): it wakes
 * them as shared futexes, which private waiters would never see. */
STASIS_INLINE long futex_wait_shared(volatile int *word, int expected, const void *timeout)
{
    return sys4(SYS_futex, (long)word, 0 /* FUTEX_WAIT */, expected, (long)timeout);
}
STASIS_INLINE long futex_wake(volatile int *word, int count)
{
    return sys3(SYS_futex, (long)word, STASIS_FUTEX_WAKE_PRIVATE, count);
}

#endif
