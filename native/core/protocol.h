/* The messages of docs/protocol.md that the process side sends and receives, as
 * plain structs with encoders and decoders of their bodies (the frame header is
 * coord_frame's job). Pure functions: test/test_protocol.c runs them against the
 * shared vectors in docs/protocol-vectors.txt. A decoder returns 0, or -1 when the
 * body is short, too long or out of range. */
#ifndef STASIS_PROTOCOL_H
#define STASIS_PROTOCOL_H

#include <stdint.h>

#include "../common/wire.h"

#define PROTO_NAME_MAX 128
#define PROTO_TEXT_MAX 512
#define PROTO_PATH_MAX 4096
#define PROTO_NAME_KEY_MAX 255
#define PROTO_NAME_VALUE_MAX 65536

struct msg_challenge {
    uint16_t version;
    uint16_t revision;           /* what the coordinator understands beyond version 1's first form */
    unsigned char nonce[32];
};
struct msg_auth {
    uint16_t version, role;
    unsigned char mac[32];
};
struct msg_error {
    uint16_t code;
    char message[PROTO_TEXT_MAX];
};
struct msg_register {
    const char *unique_id;
    uint32_t pid, real_pid;
    const char *host, *program;
    uint16_t state;
    uint32_t generation, computation_size;
    const char *computation_id;
    const char *checkpoint_dir;
};
struct msg_welcome {
    uint32_t process_number, generation, interval_s;
};
struct msg_checkpoint {
    uint32_t generation;
    char dir[PROTO_PATH_MAX];
    uint32_t computation_size;   /* 0 when the coordinator did not say */
};
struct msg_barrier {             /* BARRIER and RELEASE */
    char name[PROTO_NAME_MAX];
    uint32_t generation;
};
struct msg_abort {
    uint32_t generation;
    char reason[PROTO_TEXT_MAX];
};
struct msg_ckpt_result {
    uint32_t generation;
    uint16_t status;
    const char *image_path;
    uint64_t image_bytes, memory_bytes, duration_us;
    const char *message;
};
struct msg_progress {
    uint32_t generation;
    uint64_t done, total;
};
struct msg_name_value {
    char key[PROTO_NAME_KEY_MAX + 1];
    uint16_t found;
    uint32_t length;
    const unsigned char *value;  /* points into the decoded body */
};

void proto_encode_auth(struct wbuf *w, const struct msg_auth *m);
void proto_encode_register(struct wbuf *w, const struct msg_register *m);
void proto_encode_barrier(struct wbuf *w, const struct msg_barrier *m);
void proto_encode_ckpt_result(struct wbuf *w, const struct msg_ckpt_result *m);
void proto_encode_progress(struct wbuf *w, const struct msg_progress *m);
void proto_encode_bye(struct wbuf *w, uint16_t reason);
void proto_encode_unrestored(struct wbuf *w, uint32_t generation, const char *what);
void proto_encode_name_publish(struct wbuf *w, const char *key, const void *value, uint32_t length);
void proto_encode_name_lookup(struct wbuf *w, const char *key);

int proto_decode_challenge(struct rbuf *r, struct msg_challenge *m);
int proto_decode_error(struct rbuf *r, struct msg_error *m);
int proto_decode_welcome(struct rbuf *r, struct msg_welcome *m);
int proto_decode_checkpoint(struct rbuf *r, struct msg_checkpoint *m);
int proto_decode_barrier(struct rbuf *r, struct msg_barrier *m);
int proto_decode_abort(struct rbuf *r, struct msg_abort *m);
int proto_decode_name_value(struct rbuf *r, struct msg_name_value *m);

#endif
