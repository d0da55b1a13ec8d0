#include "image_format.h"

#include <string.h>

void img_encode_header(unsigned char out[IMG_HEADER_SIZE], const struct img_header *h)
{
    struct wbuf w;
    wb_init(&w, out, IMG_HEADER_SIZE);
    wb_bytes(&w, IMG_MAGIC, 8);
    wb_u32(&w, h->version);
    wb_u32(&w, IMG_HEADER_SIZE);
    wb_u32(&w, h->page_size);
    wb_u32(&w, h->machine);
    wb_u64(&w, h->created_ms);
    wb_u32(&w, h->generation);
    wb_u32(&w, h->flags);
    while (w.len < IMG_HEADER_SIZE)
        wb_u8(&w, 0);
}

int img_decode_header(const unsigned char in[IMG_HEADER_SIZE], struct img_header *h, const char **why)
{
    struct rbuf r;
    rb_init(&r, in, IMG_HEADER_SIZE);
    if (memcmp(rb_take(&r, 8), IMG_MAGIC, 8) != 0) {
        *why = "not a Stasis image (bad magic)";
        return -1;
    }
    h->version = rb_u32(&r);
    uint32_t header_size = rb_u32(&r);
    h->page_size = rb_u32(&r);
    h->machine = rb_u32(&r);
    h->created_ms = rb_u64(&r);
    h->generation = rb_u32(&r);
    h->flags = rb_u32(&r);
    if (h->version != IMG_VERSION) {
        *why = "unsupported image format version";
        return -1;
    }
    if (header_size != IMG_HEADER_SIZE || h->page_size != IMG_PAGE_SIZE || h->machine != IMG_MACHINE_X86_64) {
        *why = "image header describes another machine or layout";
        return -1;
    }
    return 0;
}

void img_encode_section_header(unsigned char out[IMG_SECTION_HEADER_SIZE], uint32_t kind, uint64_t length)
{
    put_le32(out, kind);
    put_le32(out + 4, 0);
    put_le64(out + 8, length);
}

void img_encode_block_header(unsigned char out[IMG_BLOCK_HEADER_SIZE], const struct img_block_header *b)
{
    put_le32(out, IMG_BLOCK_MAGIC);
    out[4] = (unsigned char)b->encoding;
    out[5] = (unsigned char)(b->encoding >> 8);
    out[6] = out[7] = 0;
    put_le64(out + 8, b->address);
    put_le32(out + 16, b->raw_length);
    put_le32(out + 20, b->stored_length);
    put_le32(out + 24, b->crc);
    put_le32(out + 28, 0);
}

int img_decode_block_header(const unsigned char in[IMG_BLOCK_HEADER_SIZE], struct img_block_header *b)
{
    if (le32(in) != IMG_BLOCK_MAGIC)
        return -1;
    b->encoding = (uint16_t)(in[4] | in[5] << 8);
    b->address = le64(in + 8);
    b->raw_length = le32(in + 16);
    b->stored_length = le32(in + 20);
    b->crc = le32(in + 24);
    return 0;
}

void img_encode_trailer(unsigned char out[IMG_TRAILER_SIZE], uint64_t file_length, uint32_t sections,
                        uint32_t blocks, uint32_t crc)
{
    memcpy(out, IMG_TRAILER_MAGIC, 8);
    put_le64(out + 8, file_length);
    put_le32(out + 16, sections);
    put_le32(out + 20, blocks);
    put_le32(out + 24, crc);
    put_le32(out + 28, 0);
}

void img_encode_process(struct wbuf *w, const struct img_process *p)
{
    wb_str(w, p->program);
    wb_str(w, p->exe);
    wb_str(w, p->cwd);
    wb_str(w, p->hostname);
    wb_str(w, p->unique_id);
    wb_str(w, p->computation_id);
    wb_u32(w, p->pid);
    wb_u32(w, p->ppid);
    wb_u32(w, p->pgid);
    wb_u32(w, p->sid);
    wb_u32(w, p->real_pid);
    wb_u32(w, p->umask);
    wb_u32(w, p->uid);
    wb_u32(w, p->gid);
    wb_u32(w, p->computation_size);
    wb_u32(w, p->thread_count);
    for (int i = 0; i < MM_COUNT; i++)
        wb_u64(w, p->mm[i]);
    wb_u64(w, p->restart_mailbox);
    wb_u64(w, p->checkpoint_time_ms);
    wb_u32(w, p->rlimit_count);
    for (uint32_t i = 0; i < p->rlimit_count; i++) {
        wb_u32(w, p->rlimits[i].resource);
        wb_u64(w, p->rlimits[i].soft);
        wb_u64(w, p->rlimits[i].hard);
    }
    wb_u32(w, 3);
    for (int i = 0; i < 3; i++) {
        wb_u64(w, p->itimers[i].interval_us);
        wb_u64(w, p->itimers[i].value_us);
    }
    wb_u16(w, p->plugin_count);
    for (int i = 0; i < p->plugin_count; i++)
        wb_str(w, p->plugins[i]);
    wb_str(w, p->comm);
}

int img_decode_process(struct rbuf *r, struct img_process *p)
{
    memset(p, 0, sizeof *p);
    rb_str(r, p->program, sizeof p->program);
    rb_str(r, p->exe, sizeof p->exe);
    rb_str(r, p->cwd, sizeof p->cwd);
    rb_str(r, p->hostname, sizeof p->hostname);
    rb_str(r, p->unique_id, sizeof p->unique_id);
    rb_str(r, p->computation_id, sizeof p->computation_id);
    p->pid = rb_u32(r);
    p->ppid = rb_u32(r);
    p->pgid = rb_u32(r);
    p->sid = rb_u32(r);
    p->real_pid = rb_u32(r);
    p->umask = rb_u32(r);
    p->uid = rb_u32(r);
    p->gid = rb_u32(r);
    p->computation_size = rb_u32(r);
    p->thread_count = rb_u32(r);
    for (int i = 0; i < MM_COUNT; i++)
        p->mm[i] = rb_u64(r);
    p->restart_mailbox = rb_u64(r);
    p->checkpoint_time_ms = rb_u64(r);
    p->rlimit_count = rb_u32(r);
    if (p->rlimit_count > IMG_MAX_RLIMITS)
        return -1;
    for (uint32_t i = 0; i < p->rlimit_count; i++) {
        p->rlimits[i].resource = rb_u32(r);
        p->rlimits[i].soft = rb_u64(r);
        p->rlimits[i].hard = rb_u64(r);
    }
    if (rb_u32(r) != 3)
        return -1;
    for (int i = 0; i < 3; i++) {
        p->itimers[i].interval_us = rb_u64(r);
        p->itimers[i].value_us = rb_u64(r);
    }
    p->plugin_count = rb_u16(r);
    if (p->plugin_count > IMG_MAX_PLUGINS)
        return -1;
    for (int i = 0; i < p->plugin_count; i++)
        rb_str(r, p->plugins[i], sizeof p->plugins[i]);
    rb_str(r, p->comm, sizeof p->comm);
    return r->error ? -1 : 0;
}

void img_encode_thread(struct wbuf *w, const struct img_thread *t)
{
    size_t start = w->len;
    wb_u32(w, t->tid);
    wb_u32(w, t->flags);
    wb_u64(w, t->fs_base);
    wb_u64(w, t->tid_address);
    wb_u64(w, t->robust_head);
    wb_u64(w, t->robust_len);
    wb_u64(w, t->rseq_address);
    wb_u32(w, t->rseq_length);
    wb_u32(w, t->rseq_signature);
    for (int i = 0; i < CTX_COUNT; i++)
        wb_u64(w, t->context[i]);
    wb_u64(w, t->altstack_sp);
    wb_u64(w, t->altstack_size);
    wb_u32(w, t->altstack_flags);
    wb_u32(w, 0);
    wb_bytes(w, t->comm, 16);
    while (!w->overflow && w->len - start < IMG_THREAD_RECORD_SIZE)
        wb_u8(w, 0);
}

int img_decode_thread(struct rbuf *r, struct img_thread *t)
{
    size_t start = r->pos;
    memset(t, 0, sizeof *t);
    t->tid = rb_u32(r);
    t->flags = rb_u32(r);
    t->fs_base = rb_u64(r);
    t->tid_address = rb_u64(r);
    t->robust_head = rb_u64(r);
    t->robust_len = rb_u64(r);
    t->rseq_address = rb_u64(r);
    t->rseq_length = rb_u32(r);
    t->rseq_signature = rb_u32(r);
    for (int i = 0; i < CTX_COUNT; i++)
        t->context[i] = rb_u64(r);
    t->altstack_sp = rb_u64(r);
    t->altstack_size = rb_u64(r);
    t->altstack_flags = rb_u32(r);
    rb_u32(r);
    const unsigned char *comm = rb_take(r, 16);
    if (comm) {
        memcpy(t->comm, comm, 15);
        t->comm[15] = 0;
    }
    rb_take(r, IMG_THREAD_RECORD_SIZE - (r->pos - start));
    return r->error ? -1 : 0;
}

void img_encode_region(struct wbuf *w, const struct img_region *g)
{
    wb_u64(w, g->start);
    wb_u64(w, g->end);
    wb_u32(w, g->prot);
    wb_u32(w, g->flags);
    wb_u64(w, g->file_offset);
    wb_u64(w, g->inode);
    wb_u32(w, g->dev_major);
    wb_u32(w, g->dev_minor);
    wb_str(w, g->name);
}

int img_decode_region(struct rbuf *r, struct img_region *g)
{
    g->start = rb_u64(r);
    g->end = rb_u64(r);
    g->prot = rb_u32(r);
    g->flags = rb_u32(r);
    g->file_offset = rb_u64(r);
    g->inode = rb_u64(r);
    g->dev_major = rb_u32(r);
    g->dev_minor = rb_u32(r);
    rb_str(r, g->name, sizeof g->name);
    if (r->error || g->end <= g->start || (g->start | g->end) % IMG_PAGE_SIZE)
        return -1;
    return 0;
}

void img_encode_fd(struct wbuf *w, const struct img_fd *f)
{
    wb_u32(w, f->fd);
    wb_u32(w, f->kind);
    wb_u32(w, f->open_flags);
    wb_u32(w, f->fd_flags);
    wb_u64(w, f->offset);
    wb_u64(w, f->inode);
    wb_u64(w, f->device);
    wb_u32(w, f->mode);
    wb_u32(w, f->same_as);
    wb_u64(w, f->share_id);
    wb_str(w, f->path);
    wb_u32(w, f->data_length);
    wb_bytes(w, f->data, f->data_length);
}

int img_decode_fd(struct rbuf *r, struct img_fd *f)
{
    f->fd = rb_u32(r);
    f->kind = rb_u32(r);
    f->open_flags = rb_u32(r);
    f->fd_flags = rb_u32(r);
    f->offset = rb_u64(r);
    f->inode = rb_u64(r);
    f->device = rb_u64(r);
    f->mode = rb_u32(r);
    f->same_as = rb_u32(r);
    f->share_id = rb_u64(r);
    rb_str(r, f->path, sizeof f->path);
    f->data_length = rb_u32(r);
    f->data = rb_take(r, f->data_length);
    return r->error ? -1 : 0;
}

void img_encode_signal(struct wbuf *w, const struct img_signal *s)
{
    wb_u32(w, s->signo);
    wb_u32(w, s->flags);
    wb_u64(w, s->handler);
    wb_u64(w, s->restorer);
    wb_u64(w, s->mask);
}

int img_decode_signal(struct rbuf *r, struct img_signal *s)
{
    s->signo = rb_u32(r);
    s->flags = rb_u32(r);
    s->handler = rb_u64(r);
    s->restorer = rb_u64(r);
    s->mask = rb_u64(r);
    return r->error ? -1 : 0;
}

void img_encode_child(struct wbuf *w, const struct img_child *c)
{
    wb_u32(w, c->pid);
    wb_u32(w, c->state);
    wb_u32(w, (uint32_t)c->exit_status);
}

int img_decode_child(struct rbuf *r, struct img_child *c)
{
    c->pid = rb_u32(r);
    c->state = rb_u32(r);
    c->exit_status = (int32_t)rb_u32(r);
    return r->error || (c->state != IMG_CHILD_RUNNING && c->state != IMG_CHILD_ZOMBIE) ? -1 : 0;
}
