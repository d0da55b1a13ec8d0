/* The checkpoint thread's connection to the coordinator (docs/protocol.md).
 * Blocking socket, static buffers, no allocation: usable while other threads are
 * frozen. Only the checkpoint thread calls these. */
#ifndef STASIS_COORD_CLIENT_H
#define STASIS_COORD_CLIENT_H

#include <stdint.h>

#include "../common/wire.h"
#include "config.h"

enum coord_type {
    MSG_CHALLENGE = 1, MSG_AUTH = 2, MSG_AUTH_OK = 3, MSG_ERROR = 4,
    MSG_REGISTER = 16, MSG_WELCOME = 17, MSG_CHECKPOINT = 18, MSG_BARRIER = 19, MSG_RELEASE = 20,
    MSG_ABORT = 21, MSG_CKPT_RESULT = 22, MSG_PROGRESS = 23, MSG_KILL = 24, MSG_BYE = 25, MSG_UNRESTORED = 26,
    MSG_NAME_PUBLISH = 32, MSG_NAME_LOOKUP = 33, MSG_NAME_VALUE = 34,
};

#define COORD_PROTOCOL_VERSION 1
/* ERROR code of a REGISTER whose unique id is registered already */
#define COORD_ERROR_ALREADY_RUNNING 6
/* the revision of version 1 from which the coordinator understands UNRESTORED */
#define COORD_REVISION_UNRESTORED 1
#define COORD_MAX_FRAME (1u << 20)

struct coord_registration {
    const char *unique_id;
    uint32_t pid, real_pid;
    const char *host, *program;
    uint16_t state;             /* 1 running, 2 restarting */
    uint32_t generation, computation_size;
    const char *computation_id;
    const char *checkpoint_dir;
};

struct coord_message {
    uint16_t type;
    struct rbuf body;           /* valid until the next receive */
};

/* Resolve, connect, authenticate, register. allow_libc: may use getaddrinfo
 * (not on the restart path, where only numeric addresses work). -EEXIST: the
 * coordinator has a live process with this unique id (coord_refusal() says which). */
int coord_connect(const struct stasis_config *config, const struct coord_registration *reg, int allow_libc);
void coord_disconnect(void);
int coord_is_connected(void);
int coord_fd(void);
/* 1 message, 0 timeout, negative: connection lost (then disconnected). */
int coord_receive(struct coord_message *m, int timeout_ms);
int coord_send(uint16_t type, const struct wbuf *body);
/* A body buffer for building one outgoing message. */
struct wbuf *coord_body(void);

/* BYE from any thread (exec): everything else is sent by the checkpoint thread. */
int coord_send_bye(uint16_t reason);
/* Make the checkpoint thread connect again (after a failed exec that said BYE). */
void coord_drop_connection(void);
/* In a forked child: the parent's connection is not ours; close our copy only. */
void coord_forget_after_fork(void);

/* The message of the coordinator's last ERROR ("" if none). */
const char *coord_refusal(void);
/* The WELCOME of the last registration. */
uint32_t coord_process_number(void);
/* The revision its CHALLENGE announced (0: version 1 as first published). */
uint16_t coord_revision(void);

/* pure helpers, exposed for the protocol vector tests */
void coord_auth_mac(const unsigned char secret[32], const unsigned char nonce[32], uint16_t role,
                    unsigned char mac[32]);
size_t coord_frame(unsigned char *out, size_t cap, uint16_t type, const void *body, size_t body_len);
/* Is a frame's length field acceptable? (at least type + reserved, at most 1 MiB) */
int coord_frame_length_ok(uint32_t length);

#endif
