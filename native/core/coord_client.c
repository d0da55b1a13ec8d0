#include "coord_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "../common/sha256.h"
#include "../common/sys.h"
#include "fmt.h"
#include "log.h"
#include "protocol.h"

#define BUFFER_SIZE (72 * 1024) /* a name-service value (64 KiB) with its key and header */
#define CONNECT_TIMEOUT_MS 5000
#define HIGH_FD 901

static struct coord_state {
    volatile int send_lock;         /* BYE may come from a user thread */
    int fd;
    uint64_t inode;                 /* to notice the program closed and reused our fd */
    uint32_t process_number;
    uint16_t revision;              /* the coordinator's, from CHALLENGE */
    unsigned char in[BUFFER_SIZE];
    size_t in_used;                 /* bytes of the current frame consumed */
    size_t in_len;
    unsigned char out[BUFFER_SIZE];
    unsigned char body[BUFFER_SIZE];
    struct wbuf body_buffer;
    char refusal[256];              /* the coordinator's last ERROR message */
} coord_state = {.fd = -1};

size_t coord_frame(unsigned char *out, size_t cap, uint16_t type, const void *body, size_t body_len)
{
    if (body_len + 8 > cap)
        return 0;
    put_le32(out, (uint32_t)(body_len + 4));
    out[4] = (unsigned char)type;
    out[5] = (unsigned char)(type >> 8);
    out[6] = out[7] = 0;
    memcpy(out + 8, body, body_len);
    return body_len + 8;
}

int coord_frame_length_ok(uint32_t length)
{
    return length >= 4 && length <= COORD_MAX_FRAME;
}

void coord_auth_mac(const unsigned char secret[32], const unsigned char nonce[32], uint16_t role,
                    unsigned char mac[32])
{
    static const char label[] = "stasis-auth-v1";
    unsigned char role_le[2] = {(unsigned char)role, (unsigned char)(role >> 8)};
    const void *parts[] = {label, nonce, role_le};
    size_t lens[] = {sizeof label - 1, 32, 2};
    stasis_hmac_sha256(secret, 32, parts, lens, 3, mac);
    stasis_scrub_stack_below(); /* the thread's stack is in every image */
}

struct wbuf *coord_body(void)
{
    wb_init(&coord_state.body_buffer, coord_state.body, sizeof coord_state.body);
    return &coord_state.body_buffer;
}

static int still_ours(void)
{
    struct stat st;
    return coord_state.fd >= 0 && sys2(SYS_fstat, coord_state.fd, (long)&st) == 0 && S_ISSOCK(st.st_mode) &&
           st.st_ino == coord_state.inode;
}

int coord_is_connected(void)
{
    return coord_state.fd >= 0;
}

int coord_fd(void)
{
    return coord_state.fd;
}

const char *coord_refusal(void)
{
    return coord_state.refusal;
}

uint32_t coord_process_number(void)
{
    return coord_state.process_number;
}

void coord_disconnect(void)
{
    /* never close a descriptor the program may have taken over */
    if (still_ours())
        sys1(SYS_close, coord_state.fd);
    coord_state.fd = -1;
    coord_state.in_len = coord_state.in_used = 0;
}

static void lock_send(void)
{
    while (__atomic_exchange_n(&coord_state.send_lock, 1, __ATOMIC_ACQUIRE))
        sys0(SYS_sched_yield);
}

static void unlock_send(void)
{
    __atomic_store_n(&coord_state.send_lock, 0, __ATOMIC_RELEASE);
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len) {
        long n = sys6(SYS_sendto, fd, (long)p, (long)len, MSG_NOSIGNAL, 0, 0);
        if (n == -EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? (int)n : -EPIPE;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int coord_send(uint16_t type, const struct wbuf *body)
{
    if (!still_ours())
        return -ENOTCONN;
    if (body && body->overflow)
        return -EMSGSIZE;
    size_t n = coord_frame(coord_state.out, sizeof coord_state.out, type, body ? body->data : NULL,
                           body ? body->len : 0);
    if (!n)
        return -EMSGSIZE;
    lock_send();
    int r = write_all(coord_state.fd, coord_state.out, n);
    unlock_send();
    if (r < 0)
        coord_disconnect();
    return r;
}

int coord_send_bye(uint16_t reason)
{
    unsigned char body[2], frame[16];
    struct wbuf w;
    wb_init(&w, body, sizeof body);
    proto_encode_bye(&w, reason);
    size_t n = coord_frame(frame, sizeof frame, MSG_BYE, w.data, w.len);
    if (!still_ours())
        return -ENOTCONN;
    lock_send();
    int r = write_all(coord_state.fd, frame, n);
    unlock_send();
    return r;
}

void coord_drop_connection(void)
{
    /* shutdown, not close: the checkpoint thread owns the descriptor and sees EOF */
    if (still_ours())
        sys2(SYS_shutdown, coord_state.fd, SHUT_RDWR);
}

void coord_forget_after_fork(void)
{
    if (still_ours())
        sys1(SYS_close, coord_state.fd);
    coord_state.fd = -1;
    coord_state.in_len = coord_state.in_used = 0;
    coord_state.send_lock = 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read exactly len bytes into buf within the deadline (-1: none). */
static int read_exact(unsigned char *buf, size_t len, int64_t deadline)
{
    size_t got = 0;
    while (got < len) {
        int wait = -1;
        if (deadline >= 0) {
            int64_t left = deadline - now_ms();
            if (left <= 0)
                return got ? -ETIMEDOUT : 0;
            wait = (int)left;
        }
        struct pollfd p = {.fd = coord_state.fd, .events = POLLIN};
        long r = sys3(SYS_poll, (long)&p, 1, wait);
        if (r == -EINTR)
            continue;
        if (r < 0)
            return (int)r;
        if (r == 0)
            continue;
        if (!still_ours())
            return -EBADF;
        long n = sys6(SYS_recvfrom, coord_state.fd, (long)(buf + got), (long)(len - got), 0, 0, 0);
        if (n == -EINTR || n == -EAGAIN)
            continue;
        if (n <= 0)
            return n < 0 ? (int)n : -ECONNRESET;
        got += (size_t)n;
    }
    return 1;
}

int coord_receive(struct coord_message *m, int timeout_ms)
{
    if (coord_state.fd < 0)
        return -ENOTCONN;
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    unsigned char header[4];
    int r = read_exact(header, 4, deadline);
    if (r <= 0) {
        if (r < 0)
            coord_disconnect();
        return r;
    }
    uint32_t length = le32(header);
    if (!coord_frame_length_ok(length) || length > sizeof coord_state.in) {
        LOG_WARN("coordinator sent a frame of %u bytes; dropping the connection", length);
        coord_disconnect();
        return -EPROTO;
    }
    /* the rest of a started frame may take a moment, but not forever */
    r = read_exact(coord_state.in, length, now_ms() + 30000);
    if (r <= 0) {
        coord_disconnect();
        return r < 0 ? r : -ETIMEDOUT;
    }
    m->type = (uint16_t)(coord_state.in[0] | coord_state.in[1] << 8);
    rb_init(&m->body, coord_state.in + 4, length - 4);
    return 1;
}

static int resolve(const char *host, uint16_t port, struct sockaddr_storage *sa, socklen_t *len, int allow_libc)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
    memset(sa, 0, sizeof *sa);
    if (strcmp(host, "localhost") == 0)
        host = "127.0.0.1";
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof *v4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof *v6;
        return 0;
    }
    if (!allow_libc)
        return -EINVAL;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
        return -EHOSTUNREACH;
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    if (sa->ss_family == AF_INET)
        v4->sin_port = htons(port);
    else
        v6->sin6_port = htons(port);
    return 0;
}

static int open_socket(const struct stasis_config *config, int allow_libc)
{
    struct sockaddr_storage sa;
    socklen_t len;
    int r = resolve(config->coord_host, config->coord_port, &sa, &len, allow_libc);
    if (r < 0)
        return r;
    long fd = sys3(SYS_socket, sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return (int)fd;
    long high = sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, HIGH_FD);
    if (high >= 0) {
        sys1(SYS_close, fd);
        fd = high;
    }
    r = (int)sys3(SYS_connect, fd, (long)&sa, len);
    if (r == -EINPROGRESS) {
        struct pollfd p = {.fd = (int)fd, .events = POLLOUT};
        r = (int)sys3(SYS_poll, (long)&p, 1, CONNECT_TIMEOUT_MS);
        int err = 0;
        socklen_t errlen = sizeof err;
        if (r == 1 && sys5(SYS_getsockopt, fd, SOL_SOCKET, SO_ERROR, (long)&err, (long)&errlen) == 0)
            r = -err;
        else if (r == 0)
            r = -ETIMEDOUT;
    }
    if (r < 0) {
        sys1(SYS_close, fd);
        return r;
    }
    /* blocking from here on; Nagle off: barriers are small and latency-bound */
    sys3(SYS_fcntl, fd, F_SETFL, sys3(SYS_fcntl, fd, F_GETFL, 0) & ~O_NONBLOCK);
    int one = 1;
    sys5(SYS_setsockopt, fd, IPPROTO_TCP, TCP_NODELAY, (long)&one, sizeof one);
    struct stat st;
    sys2(SYS_fstat, fd, (long)&st);
    coord_state.fd = (int)fd;
    coord_state.inode = st.st_ino;
    return 0;
}

static int expect(struct coord_message *m, uint16_t type)
{
    int r = coord_receive(m, 10000);
    if (r <= 0)
        return r == 0 ? -ETIMEDOUT : r;
    if (m->type == MSG_ERROR) {
        struct msg_error e;
        if (proto_decode_error(&m->body, &e) < 0)
            e.message[0] = 0;
        LOG_WARN("coordinator refused us (%u): %s", e.code, e.message);
        stasis_fmt(coord_state.refusal, sizeof coord_state.refusal, "%s", e.message);
        coord_disconnect();
        return e.code == COORD_ERROR_ALREADY_RUNNING ? -EEXIST : -EACCES;
    }
    if (m->type != type) {
        LOG_WARN("coordinator sent message %u, expected %u", m->type, type);
        coord_disconnect();
        return -EPROTO;
    }
    return 0;
}

int coord_connect(const struct stasis_config *config, const struct coord_registration *reg, int allow_libc)
{
    coord_disconnect();
    int r = open_socket(config, allow_libc);
    if (r < 0)
        return r;
    struct coord_message m;
    struct msg_challenge challenge;
    if ((r = expect(&m, MSG_CHALLENGE)) < 0)
        return r;
    if (proto_decode_challenge(&m.body, &challenge) < 0 || challenge.version != COORD_PROTOCOL_VERSION) {
        coord_disconnect();
        return -EPROTO;
    }
    coord_state.revision = challenge.revision;
    struct msg_auth auth = {.version = COORD_PROTOCOL_VERSION, .role = 1};
    coord_auth_mac(config->secret, challenge.nonce, auth.role, auth.mac);
    struct wbuf *w = coord_body();
    proto_encode_auth(w, &auth);
    if ((r = coord_send(MSG_AUTH, w)) < 0 || (r = expect(&m, MSG_AUTH_OK)) < 0)
        return r;
    struct msg_register registration = {
        .unique_id = reg->unique_id, .pid = reg->pid, .real_pid = reg->real_pid, .host = reg->host,
        .program = reg->program, .state = reg->state, .generation = reg->generation,
        .computation_size = reg->computation_size, .computation_id = reg->computation_id,
        .checkpoint_dir = reg->checkpoint_dir,
    };
    w = coord_body();
    proto_encode_register(w, &registration);
    struct msg_welcome welcome;
    if ((r = coord_send(MSG_REGISTER, w)) < 0 || (r = expect(&m, MSG_WELCOME)) < 0)
        return r;
    if (proto_decode_welcome(&m.body, &welcome) < 0) {
        coord_disconnect();
        return -EPROTO;
    }
    coord_state.process_number = welcome.process_number;
    return 0;
}

uint16_t coord_revision(void)
{
    return coord_state.revision;
}
