#include "fmt.h"

#include <stdint.h>

struct out {
    char *buf;
    size_t cap, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->cap)
        o->buf[o->len] = c;
    o->len++;
}

static void put_number(struct out *o, uint64_t v, int base, int negative, int width, char pad)
{
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    if (negative)
        digits[n++] = '-';
    for (int i = n; i < width; i++)
        put(o, pad);
    while (n)
        put(o, digits[--n]);
}

size_t stasis_vfmt(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct out o = {buf, cap, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        char pad = ' ';
        int width = 0, longs = 0, size_t_arg = 0;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        int precision = -1; /* %.Ns and %.*s: at most N bytes of the string */
        if (*p == '.') {
            p++;
            precision = 0;
            if (*p == '*') {
                precision = va_arg(ap, int);
                p++;
            }
            while (*p >= '0' && *p <= '9')
                precision = precision * 10 + (*p++ - '0');
        }
        while (*p == 'l') {
            longs++;
            p++;
        }
        if (*p == 'z') {
            size_t_arg = 1;
            p++;
        }
        switch (*p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            for (int i = 0; *s && (precision < 0 || i < precision); i++)
                put(&o, *s++);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case 'd':
        case 'i': {
            int64_t v = size_t_arg ? (int64_t)va_arg(ap, ptrdiff_t)
                        : longs ? (int64_t)va_arg(ap, long) : va_arg(ap, int);
            put_number(&o, v < 0 ? (uint64_t)-v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
        case 'o':
        case 'x': {
            uint64_t v = size_t_arg ? va_arg(ap, size_t)
                         : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            put_number(&o, v, *p == 'x' ? 16 : *p == 'o' ? 8 : 10, 0, width, pad);
            break;
        }
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            put_number(&o, (uintptr_t)va_arg(ap, void *), 16, 0, 0, ' ');
            break;
        case '%':
            put(&o, '%');
            break;
        case 0:
            p--;
            break;
        default:
            put(&o, '%');
            put(&o, *p);
        }
    }
    if (cap)
        buf[o.len < cap ? o.len : cap - 1] = 0;
    return o.len < cap ? o.len : (cap ? cap - 1 : 0);
}

size_t stasis_fmt(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = stasis_vfmt(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
