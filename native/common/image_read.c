#include "image_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <lz4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "wire.h"

#define READ_CHUNK (1u << 20)

/* Sequential reader over the file that can skip payloads cheaply. */
struct cursor {
    int fd;
    uint64_t file_size;
    uint64_t offset;            /* file offset of buf[pos] */
    unsigned char *buf;
    size_t len, pos;
    uint32_t crc;               /* over everything read with take(…, 1) */
};

static int fill(struct cursor *c, size_t need)
{
    if (c->len - c->pos >= need)
        return 0;
    memmove(c->buf, c->buf + c->pos, c->len - c->pos);
    c->len -= c->pos;
    c->pos = 0;
    while (c->len < need) {
        ssize_t n = pread(c->fd, c->buf + c->len, READ_CHUNK - c->len, (off_t)(c->offset + c->len));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        c->len += (size_t)n;
    }
    return 0;
}

static const unsigned char *take(struct cursor *c, size_t n, int in_crc)
{
    if (n > READ_CHUNK || fill(c, n) < 0)
        return NULL;
    const unsigned char *p = c->buf + c->pos;
    c->pos += n;
    c->offset += n;
    if (in_crc)
        c->crc = stasis_crc32c(c->crc, p, n);
    return p;
}

static int skip(struct cursor *c, uint64_t n)
{
    if (n > c->file_size - c->offset)
        return -1;
    if (n <= c->len - c->pos) {
        c->pos += n;
    } else {
        c->len = c->pos = 0;
    }
    c->offset += n;
    return 0;
}

static int fail(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
    return -1;
}

static int parse_threads(struct image *img, const unsigned char *p, uint64_t len)
{
    struct rbuf r;
    rb_init(&r, p, len);
    uint32_t n = rb_u32(&r);
    if (r.error || (uint64_t)n * IMG_THREAD_RECORD_SIZE != len - 4 || n == 0)
        return -1;
    img->threads = calloc(n, sizeof *img->threads);
    if (!img->threads)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        if (img_decode_thread(&r, &img->threads[i]) < 0)
            return -1;
    img->thread_count = n;
    return 0;
}

static int parse_regions(struct image *img, const unsigned char *p, uint64_t len)
{
    struct rbuf r;
    rb_init(&r, p, len);
    uint32_t n = rb_u32(&r);
    if (r.error || n == 0 || n > len / 44)
        return -1;
    img->regions = calloc(n, sizeof *img->regions);
    if (!img->regions)
        return -1;
    for (uint32_t i = 0; i < n; i++) {
        if (img_decode_region(&r, &img->regions[i]) < 0)
            return -1;
        if (i && img->regions[i].start < img->regions[i - 1].end)
            return -1; /* regions are sorted and disjoint, as in /proc/self/maps */
    }
    img->region_count = n;
    return r.pos == len ? 0 : -1;
}

static int region_of(const struct image *img, uint64_t start, uint64_t end)
{
    uint32_t lo = 0, hi = img->region_count;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (img->regions[mid].end <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < img->region_count && img->regions[lo].start <= start && end <= img->regions[lo].end &&
        (img->regions[lo].flags & IMG_REG_HAS_DATA))
        return (int)lo;
    return -1;
}

static const char *section_name(uint32_t kind)
{
    switch (kind) {
    case IMG_SEC_PROCESS: return "PROCESS";
    case IMG_SEC_THREADS: return "THREADS";
    case IMG_SEC_REGIONS: return "REGIONS";
    case IMG_SEC_FDS: return "FDS";
    case IMG_SEC_SIGNALS: return "SIGNALS";
    case IMG_SEC_PLUGIN: return "PLUGIN";
    default: return "unknown";
    }
}

static int read_metadata(struct cursor *c, struct image *img, char *why, size_t cap)
{
    const unsigned char *h = take(c, IMG_HEADER_SIZE, 1);
    if (!h)
        return fail(why, cap, "not a Stasis image (shorter than a header)");
    const char *reason;
    if (img_decode_header(h, &img->header, &reason) < 0) {
        if (img->header.version != IMG_VERSION && memcmp(h, IMG_MAGIC, 8) == 0)
            return fail(why, cap, "image format version %u, this Stasis reads %u", img->header.version,
                        IMG_VERSION);
        return fail(why, cap, "%s", reason);
    }
    int seen_process = 0;
    for (;;) {
        uint64_t at = c->offset;
        const unsigned char *sh = take(c, IMG_SECTION_HEADER_SIZE, 1);
        if (!sh)
            return fail(why, cap, "truncated at offset %llu: no MEMORY section", (unsigned long long)at);
        uint32_t kind = le32(sh);
        uint64_t len = le64(sh + 8);
        if (kind == IMG_SEC_MEMORY) {
            if (len != IMG_SECTION_STREAMED)
                return fail(why, cap, "MEMORY section at offset %llu has a length", (unsigned long long)at);
            break;
        }
        if (len > IMG_SECTION_MAX)
            return fail(why, cap, "%s section at offset %llu is larger than any writer makes", section_name(kind),
                        (unsigned long long)c->offset);
        if (len > c->file_size - c->offset)
            return fail(why, cap, "truncated at offset %llu while reading %s", (unsigned long long)c->offset,
                        section_name(kind));
        unsigned char *payload = malloc(len ? len : 1);
        if (!payload)
            return fail(why, cap, "out of memory");
        for (uint64_t done = 0; done < len;) {
            size_t n = len - done > READ_CHUNK ? READ_CHUNK : (size_t)(len - done);
            const unsigned char *p = take(c, n, 1);
            if (!p) {
                free(payload);
                return fail(why, cap, "truncated at offset %llu while reading %s", (unsigned long long)c->offset,
                            section_name(kind));
            }
            memcpy(payload + done, p, n);
            done += n;
        }
        int bad = 0;
        struct rbuf r;
        switch (kind) {
        case IMG_SEC_PROCESS:
            rb_init(&r, payload, len);
            bad = img_decode_process(&r, &img->process) < 0 || r.pos != len;
            seen_process = 1;
            break;
        case IMG_SEC_THREADS:
            bad = parse_threads(img, payload, len) < 0;
            break;
        case IMG_SEC_REGIONS:
            bad = parse_regions(img, payload, len) < 0;
            break;
        default:
            break;
        }
        free(payload);
        if (bad)
            return fail(why, cap, "malformed %s section at offset %llu", section_name(kind), (unsigned long long)at);
    }
    if (!seen_process || !img->threads || !img->regions)
        return fail(why, cap, "image lacks a PROCESS, THREADS or REGIONS section");
    img->metadata_length = c->offset;
    img->metadata = malloc(img->metadata_length);
    if (!img->metadata || pread(c->fd, img->metadata, img->metadata_length, 0) != (ssize_t)img->metadata_length)
        return fail(why, cap, "cannot read the image metadata");
    return 0;
}

static int read_blocks(struct cursor *c, struct image *img, char *why, size_t cap)
{
    uint64_t capacity = 1024;
    img->blocks = malloc(capacity * sizeof *img->blocks);
    if (!img->blocks)
        return fail(why, cap, "out of memory");
    for (;;) {
        uint64_t at = c->offset;
        const unsigned char *bh = take(c, IMG_BLOCK_HEADER_SIZE, 1);
        struct img_block_header b;
        if (!bh)
            return fail(why, cap, "truncated at offset %llu in the memory blocks", (unsigned long long)at);
        if (img_decode_block_header(bh, &b) < 0)
            return fail(why, cap, "block %llu at offset %llu: bad block header", (unsigned long long)img->block_count,
                        (unsigned long long)at);
        if (b.encoding == IMG_ENC_END)
            break;
        int region = region_of(img, b.address, b.address + b.raw_length);
        if ((b.encoding != IMG_ENC_RAW && b.encoding != IMG_ENC_LZ4) || b.raw_length == 0 ||
            b.raw_length % IMG_PAGE_SIZE || b.raw_length > IMG_BLOCK_MAX_RAW || b.address % IMG_PAGE_SIZE ||
            (b.encoding == IMG_ENC_RAW && b.stored_length != b.raw_length) ||
            b.stored_length > (uint32_t)LZ4_COMPRESSBOUND(IMG_BLOCK_MAX_RAW) || region < 0)
            return fail(why, cap, "block %llu at offset %llu (address 0x%llx) is inconsistent",
                        (unsigned long long)img->block_count, (unsigned long long)at, (unsigned long long)b.address);
        if (img->block_count == capacity) {
            capacity *= 2;
            struct image_block *grown = realloc(img->blocks, capacity * sizeof *grown);
            if (!grown)
                return fail(why, cap, "out of memory");
            img->blocks = grown;
        }
        struct image_block *ib = &img->blocks[img->block_count++];
        ib->payload_offset = c->offset;
        ib->header = b;
        ib->region = (uint32_t)region;
        img->stored_bytes += b.stored_length;
        img->raw_bytes += b.raw_length;
        if (skip(c, b.stored_length) < 0)
            return fail(why, cap, "truncated at offset %llu inside block %llu", (unsigned long long)c->offset,
                        (unsigned long long)img->block_count - 1);
    }
    return 0;
}

static int read_trailer(struct cursor *c, struct image *img, uint32_t sections, char *why, size_t cap)
{
    uint64_t at = c->offset;
    if (c->file_size - at < IMG_TRAILER_SIZE)
        return fail(why, cap, "truncated: no trailer at offset %llu", (unsigned long long)at);
    const unsigned char *t = take(c, IMG_TRAILER_CRC_OFFSET, 1);
    const unsigned char *rest = t ? take(c, IMG_TRAILER_SIZE - IMG_TRAILER_CRC_OFFSET, 0) : NULL;
    if (!t || !rest || memcmp(t, IMG_TRAILER_MAGIC, 8) != 0)
        return fail(why, cap, "no trailer at offset %llu", (unsigned long long)at);
    uint64_t length = le64(t + 8);
    if (length != c->file_size || at + IMG_TRAILER_SIZE != c->file_size)
        return fail(why, cap, "trailer says %llu bytes, the file has %llu (truncated or extended)",
                    (unsigned long long)length, (unsigned long long)c->file_size);
    if (le32(t + 16) < sections || le32(t + 20) != (uint32_t)img->block_count)
        return fail(why, cap, "trailer counts do not match the image");
    if (le32(rest) != c->crc)
        return fail(why, cap, "file checksum mismatch");
    return 0;
}

int image_open(const char *path, struct image *img, char *why, size_t why_cap)
{
    memset(img, 0, sizeof *img);
    img->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (img->fd < 0)
        return fail(why, why_cap, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(img->fd, &st) < 0 || !S_ISREG(st.st_mode))
        return fail(why, why_cap, "%s is not a regular file", path);
    struct cursor c = {.fd = img->fd, .file_size = (uint64_t)st.st_size};
    img->file_size = c.file_size;
    c.buf = malloc(READ_CHUNK);
    if (!c.buf)
        return fail(why, why_cap, "out of memory");
    int r = read_metadata(&c, img, why, why_cap);
    uint32_t sections = 0;
    if (r == 0) {
        /* count the sections for the trailer check: walk the metadata */
        uint64_t off = IMG_HEADER_SIZE;
        while (off + IMG_SECTION_HEADER_SIZE <= img->metadata_length) {
            uint32_t kind = le32(img->metadata + off);
            sections++;
            if (kind == IMG_SEC_MEMORY)
                break;
            off += IMG_SECTION_HEADER_SIZE + le64(img->metadata + off + 8);
        }
        r = read_blocks(&c, img, why, why_cap);
    }
    if (r == 0)
        r = read_trailer(&c, img, sections, why, why_cap);
    free(c.buf);
    return r;
}

int image_load_block(const struct image *img, const struct image_block *b, void *dst, void *scratch,
                     size_t scratch_cap, char *why, size_t why_cap)
{
    const struct img_block_header *h = &b->header;
    void *target = h->encoding == IMG_ENC_RAW ? dst : scratch;
    if (h->encoding != IMG_ENC_RAW && h->stored_length > scratch_cap)
        return fail(why, why_cap, "block at 0x%llx is too large", (unsigned long long)h->address);
    for (uint32_t done = 0; done < h->stored_length;) {
        ssize_t n = pread(img->fd, (char *)target + done, h->stored_length - done,
                          (off_t)(b->payload_offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(why, why_cap, "cannot read block at 0x%llx", (unsigned long long)h->address);
        done += (uint32_t)n;
    }
    if (stasis_crc32c(0, target, h->stored_length) != h->crc)
        return fail(why, why_cap, "block at 0x%llx (file offset %llu): checksum mismatch",
                    (unsigned long long)h->address, (unsigned long long)b->payload_offset);
    if (h->encoding == IMG_ENC_LZ4) {
        int n = LZ4_decompress_safe(scratch, dst, (int)h->stored_length, (int)h->raw_length);
        if (n != (int)h->raw_length)
            return fail(why, why_cap, "block at 0x%llx does not decompress to %u bytes",
                        (unsigned long long)h->address, h->raw_length);
    }
    return 0;
}

void image_close(struct image *img)
{
    if (img->fd >= 0)
        close(img->fd);
    free(img->metadata);
    free(img->threads);
    free(img->regions);
    free(img->blocks);
    memset(img, 0, sizeof *img);
    img->fd = -1;
}
