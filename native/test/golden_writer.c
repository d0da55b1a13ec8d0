#include <lz4.h>
#include <string.h>

#include "../common/crc32c.h"
#include "../common/image_format.h"
#include "../core/image_writer.h"
#include "golden.h"

static void block(struct image_writer *w, uint64_t address, const unsigned char *data, uint32_t length, int compress)
{
    static char out[LZ4_COMPRESSBOUND(1 << 16)];
    struct img_block_header b = {.encoding = IMG_ENC_RAW, .address = address, .raw_length = length,
                                 .stored_length = length};
    const void *payload = data;
    if (compress) {
        int n = LZ4_compress_default((const char *)data, out, (int)length, sizeof out);
        b.encoding = IMG_ENC_LZ4;
        b.stored_length = (uint32_t)n;
        payload = out;
    }
    b.crc = stasis_crc32c(0, payload, b.stored_length);
    unsigned char header[IMG_BLOCK_HEADER_SIZE];
    img_encode_block_header(header, &b);
    struct iovec iov[2] = {{header, sizeof header}, {(void *)payload, b.stored_length}};
    iw_blocks(w, iov, 2);
}

int golden_write(const char *dir)
{
    static struct image_writer w;
    static unsigned char buf[1 << 16];
    static struct img_process p;
    struct wbuf b;
    int r = iw_open(&w, dir, GOLDEN_NAME, GOLDEN_GENERATION, GOLDEN_CREATED_MS);
    if (r < 0)
        return r;
    memset(&p, 0, sizeof p);
    strcpy(p.program, "golden");
    strcpy(p.exe, "/usr/bin/golden");
    strcpy(p.cwd, "/home/user");
    strcpy(p.hostname, "node1");
    strcpy(p.unique_id, "1a2b3c4d-4242-1f2e3d");
    strcpy(p.computation_id, "c0ffee");
    p.pid = 4242, p.ppid = 1, p.pgid = 4242, p.sid = 4242, p.real_pid = 4242;
    p.umask = 022, p.uid = 1000, p.gid = 1000, p.computation_size = 1, p.thread_count = 2;
    uint64_t mm[MM_COUNT] = {0x555555554000, 0x555555555000, 0x555555557000, 0x555555558000, GOLDEN_HEAP,
                             GOLDEN_HEAP + 0x3000, 0x7ffffffff000 - 0x1000, 0x7fffffffe100, 0x7fffffffe120,
                             0x7fffffffe120, 0x7fffffffefe0};
    memcpy(p.mm, mm, sizeof mm);
    p.restart_mailbox = 0x7ffff7fc1000;
    p.checkpoint_time_ms = GOLDEN_CREATED_MS;
    p.rlimit_count = 1;
    p.rlimits[0] = (struct img_rlimit){7 /* NOFILE */, 1024, 524288};
    p.itimers[0] = (struct img_itimer){0, 2500000};
    p.plugin_count = 1;
    strcpy(p.plugins[0], "pid-virt");
    strcpy(p.comm, "golden");
    wb_init(&b, buf, sizeof buf);
    img_encode_process(&b, &p);
    iw_section(&w, IMG_SEC_PROCESS, b.data, b.len);

    wb_init(&b, buf, sizeof buf);
    wb_u32(&b, 2);
    struct img_thread t = {.tid = 4242, .flags = IMG_THREAD_MAIN, .fs_base = 0x7ffff7d8a740,
                           .tid_address = 0x7ffff7d8aa10, .robust_head = 0x7ffff7d8aa20, .robust_len = 24,
                           .rseq_address = 0x7ffff7d8b060, .rseq_length = 32, .rseq_signature = 0x53053053,
                           .context = {1, 2, 3, 4, 5, 6, GOLDEN_STACK + 0x1f000, 0x7ffff7fb1234},
                           .comm = "golden"};
    img_encode_thread(&b, &t);
    struct img_thread c = {.tid = 4243, .flags = IMG_THREAD_CKPT, .fs_base = 0x7ffff7589640,
                           .tid_address = 0x7ffff7589910, .context = {0, 0, 0, 0, 0, 0, 0x7ffff7588e00,
                                                                      0x7ffff7fb5678},
                           .comm = "stasis:ckpt"};
    img_encode_thread(&b, &c);
    iw_section(&w, IMG_SEC_THREADS, b.data, b.len);

    wb_init(&b, buf, sizeof buf);
    struct img_region regions[] = {
        {GOLDEN_HEAP, GOLDEN_HEAP + 0x4000, 3, IMG_REG_HEAP | IMG_REG_HAS_DATA, 0, 0, 0, 0, "[heap]"},
        {0x7ffff7ff0000, 0x7ffff7ff1000, 3, IMG_REG_SHARED | IMG_REG_FILE | IMG_REG_REMAP_FILE, 4096, 77, 8, 1,
         "/home/user/shared.db"},
        {0x7ffff7ff8000, 0x7ffff7ffc000, 1, IMG_REG_VVAR, 0, 0, 0, 0, "[vvar]"},
        {0x7ffff7ffc000, 0x7ffff7ffe000, 5, IMG_REG_VDSO, 0, 0x12345678, 0, 0, "[vdso]"},
        {GOLDEN_STACK, GOLDEN_STACK + 0x21000, 3, IMG_REG_STACK | IMG_REG_HAS_DATA, 0, 0, 0, 0, "[stack]"},
    };
    wb_u32(&b, 5);
    for (int i = 0; i < 5; i++)
        img_encode_region(&b, &regions[i]);
    iw_section(&w, IMG_SEC_REGIONS, b.data, b.len);

    wb_init(&b, buf, sizeof buf);
    static const unsigned char pipe_data[] = "in flight\n";
    struct img_fd fds[] = {
        {1, IMG_FD_FILE, 02001, 0, 1234, 777, 0x801, 0100644, IMG_FD_NOT_SHARED, IMG_SHARE_ID(4000, 1),
         "/home/user/out.txt", 0, NULL},
        {2, IMG_FD_FILE, 02001, 0, 1234, 777, 0x801, 0100644, 1, IMG_SHARE_ID(4000, 1), "/home/user/out.txt", 0, NULL},
        {3, IMG_FD_PIPE_READ, 0, 1, 65536, 5678, 0xd, 010600, IMG_FD_NOT_SHARED, IMG_SHARE_PIPE | 5678, "pipe:[5678]",
         sizeof pipe_data - 1, pipe_data},
        {4, IMG_FD_PIPE_WRITE, 1, 1, 65536, 5678, 0xd, 010600, IMG_FD_NOT_SHARED, IMG_SHARE_PIPE | 5678, "pipe:[5678]",
         0, NULL},
    };
    wb_u32(&b, 4);
    for (int i = 0; i < 4; i++)
        img_encode_fd(&b, &fds[i]);
    iw_section(&w, IMG_SEC_FDS, b.data, b.len);

    wb_init(&b, buf, sizeof buf);
    wb_u32(&b, 2);
    struct img_signal sigint = {2, 0x14000000, 0x555555555189, 0x7ffff7de8520, 0};
    struct img_signal sigusr2 = {12, 0x1c000004, 0x7ffff7fb9000, 0x7ffff7de8520, ~0ull};
    img_encode_signal(&b, &sigint);
    img_encode_signal(&b, &sigusr2);
    iw_section(&w, IMG_SEC_SIGNALS, b.data, b.len);

    wb_init(&b, buf, sizeof buf);
    wb_u32(&b, 2);
    struct img_child running = {4300, IMG_CHILD_RUNNING, 0}, zombie = {4301, IMG_CHILD_ZOMBIE, 3 << 8};
    img_encode_child(&b, &running);
    img_encode_child(&b, &zombie);
    iw_section(&w, IMG_SEC_CHILDREN, b.data, b.len);

    wb_init(&b, buf, sizeof buf);
    wb_str(&b, "pid-virt");
    wb_u32(&b, 1);
    wb_u32(&b, 4242);
    iw_section(&w, IMG_SEC_PLUGIN, b.data, b.len);

    iw_memory_begin(&w);
    static unsigned char page[3 * 4096];
    for (unsigned i = 0; i < sizeof page; i++)
        page[i] = (unsigned char)("stasis golden "[i % 14]);
    block(&w, GOLDEN_HEAP, page, 3 * 4096, 1);
    uint64_t x = 42;
    for (unsigned i = 0; i < 4096; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        page[i] = (unsigned char)(x >> 56);
    }
    block(&w, GOLDEN_STACK + 0x20000, page, 4096, 0);
    r = iw_finish(&w);
    return r < 0 ? r : iw_commit(&w);
}
