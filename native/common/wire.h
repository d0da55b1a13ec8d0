/* Little-endian encoding into and out of bounded buffers, shared by the image
 * sections and the coordinator protocol. A write past the end or a read past the
 * end sets a sticky error flag instead of touching memory, so a caller checks once
 * at the end. No allocation: usable on the checkpoint path. */
#ifndef STASIS_WIRE_H
#define STASIS_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wbuf {
    unsigned char *data;
    size_t len;
    size_t cap;
    int overflow;
};

struct rbuf {
    const unsigned char *data;
    size_t len;
    size_t pos;
    int error;
};

static inline void wb_init(struct wbuf *w, void *data, size_t cap)
{
    w->data = data;
    w->len = 0;
    w->cap = cap;
    w->overflow = 0;
}

static inline void wb_bytes(struct wbuf *w, const void *p, size_t n)
{
    if (w->overflow || n > w->cap - w->len) {
        w->overflow = 1;
        return;
    }
    memcpy(w->data + w->len, p, n);
    w->len += n;
}

static inline void wb_u8(struct wbuf *w, uint8_t v) { wb_bytes(w, &v, 1); }
static inline void wb_u16(struct wbuf *w, uint16_t v)
{
    unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    wb_bytes(w, b, 2);
}
static inline void wb_u32(struct wbuf *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    wb_bytes(w, b, 4);
}
static inline void wb_u64(struct wbuf *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    wb_bytes(w, b, 8);
}
/* str: u16 length + bytes; longer strings are an overflow, not a silent cut */
static inline void wb_str(struct wbuf *w, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > 0xFFFF) {
        w->overflow = 1;
        return;
    }
    wb_u16(w, (uint16_t)n);
    wb_bytes(w, s, n);
}
/* Patch a u32 at an earlier offset (a length known only at the end). */
static inline void wb_put_u32_at(struct wbuf *w, size_t off, uint32_t v)
{
    if (off + 4 > w->len)
        return;
    for (int i = 0; i < 4; i++)
        w->data[off + i] = (unsigned char)(v >> (8 * i));
}

static inline void rb_init(struct rbuf *r, const void *data, size_t len)
{
    r->data = data;
    r->len = len;
    r->pos = 0;
    r->error = 0;
}

static inline const unsigned char *rb_take(struct rbuf *r, size_t n)
{
    if (r->error || n > r->len - r->pos) {
        r->error = 1;
        return NULL;
    }
    const unsigned char *p = r->data + r->pos;
    r->pos += n;
    return p;
}

static inline uint64_t rb_le(struct rbuf *r, int n)
{
    const unsigned char *p = rb_take(r, (size_t)n);
    uint64_t v = 0;
    if (!p)
        return 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}
static inline uint8_t rb_u8(struct rbuf *r) { return (uint8_t)rb_le(r, 1); }
static inline uint16_t rb_u16(struct rbuf *r) { return (uint16_t)rb_le(r, 2); }
static inline uint32_t rb_u32(struct rbuf *r) { return (uint32_t)rb_le(r, 4); }
static inline uint64_t rb_u64(struct rbuf *r) { return rb_le(r, 8); }

/* Copy a str into out (NUL-terminated); a string that does not fit is an error. */
static inline void rb_str(struct rbuf *r, char *out, size_t cap)
{
    size_t n = rb_u16(r);
    const unsigned char *p = rb_take(r, n);
    if (!p || n >= cap) {
        r->error = 1;
        if (cap)
            out[0] = 0;
        return;
    }
    memcpy(out, p, n);
    out[n] = 0;
}

static inline uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}
static inline uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static inline void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

#endif
