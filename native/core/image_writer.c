#include "image_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <time.h>

#include "../common/crc32c.h"
#include "../common/sys.h"
#include "fmt.h"

static void write_all(struct image_writer *w, const void *data, size_t len, int in_crc)
{
    if (w->error)
        return;
    if (in_crc)
        w->crc = stasis_crc32c(w->crc, data, len);
    const char *p = data;
    while (len) {
        long n = sys3(SYS_write, w->fd, (long)p, (long)len);
        if (n == -EINTR)
            continue;
        if (n <= 0) {
            w->error = n < 0 ? (int)n : -EIO;
            return;
        }
        p += n;
        len -= (size_t)n;
        w->offset += (uint64_t)n;
    }
}

int iw_open(struct image_writer *w, const char *dir, const char *name, uint32_t generation, uint64_t created_ms)
{
    w->error = 0;
    w->offset = 0;
    w->crc = 0;
    w->sections = w->blocks = 0;
    w->payload_bytes = 0;
    w->reserved_to = 0;
    stasis_fmt(w->dir, sizeof w->dir, "%s", dir);
    stasis_fmt(w->final_path, sizeof w->final_path, "%s/%s", dir, name);
    /* the writer's kernel pid in the name: two processes writing the same image
     * (one image restarted twice) never truncate or rename each other's file */
    stasis_fmt(w->tmp_path, sizeof w->tmp_path, "%s/.%s.%ld.tmp", dir, name, sys0(SYS_getpid));
    long fd = sys4(SYS_openat, AT_FDCWD, (long)w->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        w->fd = -1;
        w->error = (int)fd;
        return (int)fd;
    }
    w->fd = (int)fd;
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts);
    struct img_header h = {
        .version = IMG_VERSION,
        .page_size = IMG_PAGE_SIZE,
        .machine = IMG_MACHINE_X86_64,
        .created_ms = created_ms ? created_ms : (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000,
        .generation = generation,
    };
    unsigned char header[IMG_HEADER_SIZE];
    img_encode_header(header, &h);
    write_all(w, header, sizeof header, 1);
    return w->error;
}

void iw_section(struct image_writer *w, uint32_t kind, const void *payload, uint64_t length)
{
    unsigned char header[IMG_SECTION_HEADER_SIZE];
    img_encode_section_header(header, kind, length);
    write_all(w, header, sizeof header, 1);
    write_all(w, payload, length, 1);
    w->sections++;
}

void iw_reserve(struct image_writer *w, uint64_t bytes)
{
    if (w->error || !bytes)
        return;
    /* KEEP_SIZE: the file's length stays what was written, whatever happens */
    if (sys4(SYS_fallocate, w->fd, FALLOC_FL_KEEP_SIZE, (long)w->offset, (long)bytes) == 0)
        w->reserved_to = w->offset + bytes;
}

void iw_memory_begin(struct image_writer *w)
{
    unsigned char header[IMG_SECTION_HEADER_SIZE];
    img_encode_section_header(header, IMG_SEC_MEMORY, IMG_SECTION_STREAMED);
    write_all(w, header, sizeof header, 1);
    w->sections++;
}

void iw_blocks(struct image_writer *w, const struct iovec *iov, int iovcnt)
{
    if (w->error || iovcnt <= 0)
        return;
    for (int i = 0; i < iovcnt; i++) {
        if (i % 2 == 0)
            w->crc = stasis_crc32c(w->crc, iov[i].iov_base, iov[i].iov_len);
        else
            w->payload_bytes += iov[i].iov_len;
    }
    w->blocks += (uint32_t)(iovcnt / 2);
    /* writev may write part of the vector: advance through it by hand */
    struct iovec local[64];
    int done = 0;
    size_t skip = 0;
    while (done < iovcnt && !w->error) {
        int n = 0;
        for (int i = done; i < iovcnt && n < 64; i++, n++) {
            local[n] = iov[i];
            if (i == done) {
                local[n].iov_base = (char *)local[n].iov_base + skip;
                local[n].iov_len -= skip;
            }
        }
        long r = sys3(SYS_writev, w->fd, (long)local, n);
        if (r == -EINTR)
            continue;
        if (r <= 0) {
            w->error = r < 0 ? (int)r : -EIO;
            return;
        }
        w->offset += (uint64_t)r;
        size_t left = (size_t)r;
        while (left && done < iovcnt) {
            size_t here = iov[done].iov_len - skip;
            if (left >= here) {
                left -= here;
                done++;
                skip = 0;
            } else {
                skip += left;
                left = 0;
            }
        }
    }
}

int iw_finish(struct image_writer *w)
{
    unsigned char end[IMG_BLOCK_HEADER_SIZE];
    struct img_block_header b = {.encoding = IMG_ENC_END};
    img_encode_block_header(end, &b);
    write_all(w, end, sizeof end, 1);
    unsigned char trailer[IMG_TRAILER_SIZE];
    uint64_t length = w->offset + IMG_TRAILER_SIZE;
    img_encode_trailer(trailer, length, w->sections, w->blocks, 0);
    uint32_t crc = stasis_crc32c(w->crc, trailer, IMG_TRAILER_CRC_OFFSET);
    put_le32(trailer + IMG_TRAILER_CRC_OFFSET, crc);
    write_all(w, trailer, sizeof trailer, 0);
    if (!w->error && w->reserved_to > w->offset)
        sys2(SYS_ftruncate, w->fd, (long)w->offset); /* drops the unused reservation */
    if (!w->error) {
        long r = sys1(SYS_fsync, w->fd);
        if (r < 0)
            w->error = (int)r;
    }
    sys1(SYS_close, w->fd);
    w->fd = -1;
    return w->error;
}

int iw_commit(struct image_writer *w)
{
    long r = sys4(SYS_renameat, AT_FDCWD, (long)w->tmp_path, AT_FDCWD, (long)w->final_path);
    if (r < 0)
        return (int)r;
    long dirfd = sys4(SYS_openat, AT_FDCWD, (long)w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (dirfd >= 0) {
        r = sys1(SYS_fsync, dirfd);
        sys1(SYS_close, dirfd);
    }
    return r < 0 ? (int)r : 0;
}

void iw_discard(struct image_writer *w)
{
    if (w->fd >= 0) {
        sys1(SYS_close, w->fd);
        w->fd = -1;
    }
    if (w->tmp_path[0])
        sys3(SYS_unlinkat, AT_FDCWD, (long)w->tmp_path, 0);
}
