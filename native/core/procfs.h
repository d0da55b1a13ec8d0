/* Reading /proc without libc: the checkpoint path runs while other threads are
 * frozen, possibly inside malloc or stdio. */
#ifndef STASIS_PROCFS_H
#define STASIS_PROCFS_H

#include <stddef.h>
#include <stdint.h>

/* Read a small file into buf, NUL-terminated. Its length, or -errno. */
long procfs_read(const char *path, char *buf, size_t cap);

/* Call fn for every entry of dir named by a number (tasks, descriptors) until fn
 * returns non-zero. The descriptor of the listing itself is not reported. 0 or -errno. */
int procfs_each_number(const char *dir, int (*fn)(long number, void *arg), void *arg);

/* Scan a number at *p and move past it (leading spaces, and "0x" for hex, skipped). */
uint64_t procfs_hex(const char **p);
uint64_t procfs_dec(const char **p);

/* Field `n` (numbered as in proc(5): 3 is the state) of a /proc/…/stat line, or NULL. */
const char *procfs_stat_field(const char *stat, int n);

#endif
