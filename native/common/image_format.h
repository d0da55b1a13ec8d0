/* The on-disk image format, version 1 (docs/image-format.md is the reference; keep
 * the two in step). The in-memory records below are encoded and decoded by
 * image_records.c, used by both the writer (libstasis) and the reader (restart). */
#ifndef STASIS_IMAGE_FORMAT_H
#define STASIS_IMAGE_FORMAT_H

#include <stdint.h>

#include "wire.h"

#define IMG_MAGIC "\x89STASIS\n"
#define IMG_VERSION 1u
#define IMG_HEADER_SIZE 64u
#define IMG_PAGE_SIZE 4096u
#define IMG_MACHINE_X86_64 62u
#define IMG_SECTION_HEADER_SIZE 16u
#define IMG_SECTION_STREAMED UINT64_MAX
#define IMG_TRAILER_MAGIC "STASEND\n"
#define IMG_TRAILER_SIZE 32u
#define IMG_TRAILER_CRC_OFFSET 24u

enum img_section_kind {
    IMG_SEC_PROCESS = 1,
    IMG_SEC_THREADS = 2,
    IMG_SEC_REGIONS = 3,
    IMG_SEC_FDS = 4,
    IMG_SEC_SIGNALS = 5,
    IMG_SEC_CHILDREN = 6,
    IMG_SEC_PLUGIN = 16,
    IMG_SEC_MEMORY = 32,
};

#define IMG_BLOCK_MAGIC 0x314B4C42u /* "BLK1" */
#define IMG_BLOCK_HEADER_SIZE 32u
#define IMG_BLOCK_MAX_RAW (1u << 20)
/* the largest section before MEMORY: a plugin's may hold saved file contents */
#define IMG_SECTION_MAX (256u << 20)
enum img_block_encoding { IMG_ENC_RAW = 0, IMG_ENC_LZ4 = 1, IMG_ENC_END = 0xFFFF };

struct img_block_header {
    uint16_t encoding;
    uint64_t address;
    uint32_t raw_length;
    uint32_t stored_length;
    uint32_t crc;
};

#define IMG_PATH_MAX 4096
#define IMG_NAME_MAX 256
#define IMG_MAX_PLUGINS 32
#define IMG_MAX_RLIMITS 16

struct img_header {
    uint32_t version;
    uint32_t page_size;
    uint32_t machine;
    uint64_t created_ms;
    uint32_t generation;
    uint32_t flags;
};

enum img_mm_field {
    MM_START_CODE, MM_END_CODE, MM_START_DATA, MM_END_DATA, MM_START_BRK, MM_BRK,
    MM_START_STACK, MM_ARG_START, MM_ARG_END, MM_ENV_START, MM_ENV_END, MM_COUNT
};

struct img_rlimit {
    uint32_t resource;
    uint64_t soft, hard;
};

struct img_itimer {
    uint64_t interval_us, value_us;
};

struct img_process {
    char program[IMG_NAME_MAX];
    char exe[IMG_PATH_MAX];
    char cwd[IMG_PATH_MAX];
    char hostname[IMG_NAME_MAX];
    char unique_id[IMG_NAME_MAX];
    char computation_id[IMG_NAME_MAX];
    uint32_t pid, ppid, pgid, sid, real_pid;
    uint32_t umask, uid, gid;
    uint32_t computation_size, thread_count;
    uint64_t mm[MM_COUNT];
    uint64_t restart_mailbox;
    uint64_t checkpoint_time_ms;
    uint32_t rlimit_count;
    struct img_rlimit rlimits[IMG_MAX_RLIMITS];
    struct img_itimer itimers[3];
    uint16_t plugin_count;
    char plugins[IMG_MAX_PLUGINS][64];
    char comm[17];
};

enum img_thread_flags { IMG_THREAD_MAIN = 1, IMG_THREAD_CKPT = 2 };
enum img_ctx_reg { CTX_RBX, CTX_RBP, CTX_R12, CTX_R13, CTX_R14, CTX_R15, CTX_RSP, CTX_RIP, CTX_COUNT };
#define IMG_THREAD_RECORD_SIZE 176u

struct img_thread {
    uint32_t tid, flags;
    uint64_t fs_base, tid_address, robust_head, robust_len;
    uint64_t rseq_address;
    uint32_t rseq_length, rseq_signature;
    uint64_t context[CTX_COUNT];
    uint64_t altstack_sp, altstack_size;
    uint32_t altstack_flags;
    char comm[16];
};

enum img_region_flags {
    IMG_REG_SHARED = 1 << 0,
    IMG_REG_FILE = 1 << 1,
    IMG_REG_STACK = 1 << 2,
    IMG_REG_HEAP = 1 << 3,
    IMG_REG_VDSO = 1 << 4,
    IMG_REG_VVAR = 1 << 5,
    IMG_REG_VVAR_VCLOCK = 1 << 6,
    IMG_REG_HAS_DATA = 1 << 7,
    IMG_REG_REMAP_FILE = 1 << 8,
};
#define IMG_REG_SPECIAL (IMG_REG_VDSO | IMG_REG_VVAR | IMG_REG_VVAR_VCLOCK)

struct img_region {
    uint64_t start, end;
    uint32_t prot, flags;
    uint64_t file_offset, inode;
    uint32_t dev_major, dev_minor;
    char name[IMG_PATH_MAX];
};

enum img_fd_kind {
    IMG_FD_FILE = 1, IMG_FD_DIR = 2, IMG_FD_CHAR = 3, IMG_FD_PIPE_READ = 4, IMG_FD_PIPE_WRITE = 5,
    IMG_FD_TTY = 6, IMG_FD_SOCKET = 7, IMG_FD_OTHER = 8,
};

#define IMG_FD_NOT_SHARED 0xFFFFFFFFu
/* fd_flags bit of a pipe read end: at checkpoint no process held a write end (the
 * writer had exited), so the restart refills the pipe and makes it without one */
#define IMG_FD_NO_WRITER 0x80000000u

struct img_fd {
    uint32_t fd, kind, open_flags, fd_flags;
    uint64_t offset, inode, device;
    uint32_t mode;
    uint32_t same_as;  /* lowest fd sharing this open file description, or IMG_FD_NOT_SHARED */
    uint64_t share_id; /* the object across the computation (see image-format.md), 0 if none */
    char path[IMG_PATH_MAX];
    uint32_t data_length;
    const unsigned char *data; /* points into the section buffer when decoded */
};

/* share_id of a pipe: the pipe object, the same in every process holding an end */
#define IMG_SHARE_PIPE (1ull << 63)
/* share_id of another descriptor: the process that opened it (the topmost holder
 * up the process tree) and its number there */
#define IMG_SHARE_ID(holder_pid, fd) (((uint64_t)(holder_pid) << 24) | (uint64_t)(fd))

enum img_child_state { IMG_CHILD_RUNNING = 1, IMG_CHILD_ZOMBIE = 2 };

struct img_child {
    uint32_t pid;          /* as the parent knows it */
    uint32_t state;
    int32_t exit_status;   /* wait status of a zombie */
};

struct img_signal {
    uint32_t signo, flags;
    uint64_t handler, restorer, mask;
};

/* Record codecs: identical for writer and reader. decode_* return 0 or -1. */
void img_encode_header(unsigned char out[IMG_HEADER_SIZE], const struct img_header *h);
int img_decode_header(const unsigned char in[IMG_HEADER_SIZE], struct img_header *h, const char **why);
void img_encode_section_header(unsigned char out[IMG_SECTION_HEADER_SIZE], uint32_t kind, uint64_t length);
void img_encode_block_header(unsigned char out[IMG_BLOCK_HEADER_SIZE], const struct img_block_header *b);
int img_decode_block_header(const unsigned char in[IMG_BLOCK_HEADER_SIZE], struct img_block_header *b);
void img_encode_trailer(unsigned char out[IMG_TRAILER_SIZE], uint64_t file_length, uint32_t sections,
                        uint32_t blocks, uint32_t crc);

void img_encode_process(struct wbuf *w, const struct img_process *p);
int img_decode_process(struct rbuf *r, struct img_process *p);
void img_encode_thread(struct wbuf *w, const struct img_thread *t);
int img_decode_thread(struct rbuf *r, struct img_thread *t);
void img_encode_region(struct wbuf *w, const struct img_region *g);
int img_decode_region(struct rbuf *r, struct img_region *g);
void img_encode_fd(struct wbuf *w, const struct img_fd *f);
int img_decode_fd(struct rbuf *r, struct img_fd *f);
void img_encode_child(struct wbuf *w, const struct img_child *c);
int img_decode_child(struct rbuf *r, struct img_child *c);
void img_encode_signal(struct wbuf *w, const struct img_signal *s);
int img_decode_signal(struct rbuf *r, struct img_signal *s);

#endif
