/* printf-like formatting that is async-signal-safe (no locale, no malloc):
 * %s %c %d %i %u %x %ld %lu %lx %lld %llu %llx %zu %zd %p %%, with optional width
 * and '0' flag for numbers. Always NUL-terminates; returns the length written. */
#ifndef STASIS_FMT_H
#define STASIS_FMT_H
#include <stdarg.h>
#include <stddef.h>

size_t stasis_vfmt(char *buf, size_t cap, const char *fmt, va_list ap);
size_t stasis_fmt(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
