#include "protocol.h"

#include <string.h>

/* a body must be used up exactly: trailing bytes mean another protocol */
static int done(struct rbuf *r)
{
    return r->error || r->pos != r->len ? -1 : 0;
}

void proto_encode_auth(struct wbuf *w, const struct msg_auth *m)
{
    wb_u16(w, m->version);
    wb_u16(w, m->role);
    wb_bytes(w, m->mac, 32);
}

void proto_encode_register(struct wbuf *w, const struct msg_register *m)
{
    wb_str(w, m->unique_id);
    wb_u32(w, m->pid);
    wb_u32(w, m->real_pid);
    wb_str(w, m->host);
    wb_str(w, m->program);
    wb_u16(w, m->state);
    wb_u32(w, m->generation);
    wb_u32(w, m->computation_size);
    wb_str(w, m->computation_id);
    wb_str(w, m->checkpoint_dir);
}

void proto_encode_barrier(struct wbuf *w, const struct msg_barrier *m)
{
    wb_str(w, m->name);
    wb_u32(w, m->generation);
}

void proto_encode_ckpt_result(struct wbuf *w, const struct msg_ckpt_result *m)
{
    wb_u32(w, m->generation);
    wb_u16(w, m->status);
    wb_str(w, m->image_path);
    wb_u64(w, m->image_bytes);
    wb_u64(w, m->memory_bytes);
    wb_u64(w, m->duration_us);
    wb_str(w, m->message);
}

void proto_encode_progress(struct wbuf *w, const struct msg_progress *m)
{
    wb_u32(w, m->generation);
    wb_u64(w, m->done);
    wb_u64(w, m->total);
}

void proto_encode_bye(struct wbuf *w, uint16_t reason)
{
    wb_u16(w, reason);
}

void proto_encode_unrestored(struct wbuf *w, uint32_t generation, const char *what)
{
    wb_u32(w, generation);
    wb_str(w, what);
}

void proto_encode_name_publish(struct wbuf *w, const char *key, const void *value, uint32_t length)
{
    wb_str(w, key);
    wb_u32(w, length);
    wb_bytes(w, value, length);
}

void proto_encode_name_lookup(struct wbuf *w, const char *key)
{
    wb_str(w, key);
}

int proto_decode_challenge(struct rbuf *r, struct msg_challenge *m)
{
    m->version = rb_u16(r);
    m->revision = rb_u16(r);
    const unsigned char *nonce = rb_take(r, 32);
    if (nonce)
        memcpy(m->nonce, nonce, 32);
    return done(r);
}

int proto_decode_error(struct rbuf *r, struct msg_error *m)
{
    m->code = rb_u16(r);
    rb_str(r, m->message, sizeof m->message);
    return done(r);
}

int proto_decode_welcome(struct rbuf *r, struct msg_welcome *m)
{
    m->process_number = rb_u32(r);
    m->generation = rb_u32(r);
    m->interval_s = rb_u32(r);
    return done(r);
}

int proto_decode_checkpoint(struct rbuf *r, struct msg_checkpoint *m)
{
    m->generation = rb_u32(r);
    rb_str(r, m->dir, sizeof m->dir);
    m->computation_size = rb_u32(r);
    return done(r);
}

int proto_decode_barrier(struct rbuf *r, struct msg_barrier *m)
{
    rb_str(r, m->name, sizeof m->name);
    m->generation = rb_u32(r);
    return done(r);
}

int proto_decode_abort(struct rbuf *r, struct msg_abort *m)
{
    m->generation = rb_u32(r);
    rb_str(r, m->reason, sizeof m->reason);
    return done(r);
}

int proto_decode_name_value(struct rbuf *r, struct msg_name_value *m)
{
    rb_str(r, m->key, sizeof m->key);
    m->found = rb_u16(r);
    m->length = rb_u32(r);
    m->value = rb_take(r, m->length);
    if (m->found > 1)
        return -1;
    return done(r);
}
