/* The C client's messages against docs/protocol-vectors.txt, the vectors the Java
 * coordinator passes too: what we encode must be byte-identical, what we decode
 * must give the documented fields, and malformed bodies must be refused. */
#include <stdlib.h>
#include <string.h>

#include "../core/coord_client.h"
#include "../core/protocol.h"
#include "check.h"

struct vector {
    char kind[16], name[64];
    int code;
    unsigned char bytes[4096];
    size_t length;
    unsigned char secret[32], nonce[32], mac[32];
    int role;
};

static struct vector vectors[256];
static int vector_count;

static size_t unhex(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = 0;
    for (; hex[0] && hex[1] && n < cap; hex += 2)
        sscanf(hex, "%2hhx", &out[n++]);
    return n;
}

static void load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    char line[16384];
    while (fgets(line, sizeof line, f) && vector_count < 256) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        struct vector *v = &vectors[vector_count];
        char a[8192], b[8192], c[8192], d[8192];
        int n = sscanf(line, "%15s %63s %8191s %8191s %8191s %8191s", v->kind, v->name, a, b, c, d);
        if (strcmp(v->kind, "frame") == 0 && n >= 3) {
            v->length = unhex(a, v->bytes, sizeof v->bytes);
        } else if (strcmp(v->kind, "bad") == 0 && n >= 4) {
            v->code = atoi(a);
            v->length = unhex(b, v->bytes, sizeof v->bytes);
        } else if (strcmp(v->kind, "hmac") == 0 && n >= 6) {
            unhex(a, v->secret, 32);
            unhex(b, v->nonce, 32);
            v->role = atoi(c);
            unhex(d, v->mac, 32);
        } else {
            continue;
        }
        vector_count++;
    }
    fclose(f);
}

static const struct vector *find(const char *kind, const char *name)
{
    for (int i = 0; i < vector_count; i++)
        if (strcmp(vectors[i].kind, kind) == 0 && strcmp(vectors[i].name, name) == 0)
            return &vectors[i];
    fprintf(stderr, "no vector %s %s\n", kind, name);
    check_failures++;
    return NULL;
}

/* the body of a frame vector, after checking its header against the type */
static int body_of(const struct vector *v, uint16_t type, struct rbuf *r)
{
    if (!v || v->length < 8)
        return -1;
    CHECK(le32(v->bytes) == v->length - 4, "%s: length field", v->name);
    CHECK((v->bytes[4] | v->bytes[5] << 8) == type, "%s: type", v->name);
    rb_init(r, v->bytes + 8, v->length - 8);
    return 0;
}

static void expect_encoding(const char *name, uint16_t type, const struct wbuf *body)
{
    const struct vector *v = find("frame", name);
    unsigned char frame[4096];
    size_t n = coord_frame(frame, sizeof frame, type, body->data, body->len);
    CHECK(v && n == v->length && memcmp(frame, v->bytes, n) == 0, "%s: encoding differs", name);
}

static void test_hmac(void)
{
    for (int i = 0; i < vector_count; i++) {
        const struct vector *v = &vectors[i];
        if (strcmp(v->kind, "hmac") != 0)
            continue;
        unsigned char mac[32];
        coord_auth_mac(v->secret, v->nonce, (uint16_t)v->role, mac);
        CHECK(memcmp(mac, v->mac, 32) == 0, "hmac %s", v->name);
    }
}

static void test_encoders(void)
{
    unsigned char buf[4096];
    struct wbuf w;
    const struct vector *hmac = find("hmac", "PROCESS");
    struct msg_auth auth = {.version = 1, .role = 1};
    if (hmac)
        memcpy(auth.mac, hmac->mac, 32);
    wb_init(&w, buf, sizeof buf);
    proto_encode_auth(&w, &auth);
    expect_encoding("AUTH", MSG_AUTH, &w);

    struct msg_register reg = {"1a2b3c4d-4242-1f2e3d", 4242, 4242, "node1", "a.out", 1, 0, 1, "c0ffee", "/home/u/ckpt"};
    wb_init(&w, buf, sizeof buf);
    proto_encode_register(&w, &reg);
    expect_encoding("REGISTER", MSG_REGISTER, &w);
    struct msg_register again = {"1a2b3c4d-4242-1f2e3d", 4242, 5151, "node2", "pr\xc3\xb6g", 2, 3, 2, "c0ffee",
                                  "/home/u/ckpt"};
    wb_init(&w, buf, sizeof buf);
    proto_encode_register(&w, &again);
    expect_encoding("REGISTER_RESTARTING", MSG_REGISTER, &w);

    struct msg_barrier barrier = {"SUSPENDED", 3};
    wb_init(&w, buf, sizeof buf);
    proto_encode_barrier(&w, &barrier);
    expect_encoding("BARRIER", MSG_BARRIER, &w);
    struct msg_barrier plugin = {"sockets:DRAINED", 4294967295u};
    wb_init(&w, buf, sizeof buf);
    proto_encode_barrier(&w, &plugin);
    expect_encoding("BARRIER_PLUGIN", MSG_BARRIER, &w);

    struct msg_ckpt_result ok = {3, 0, "/home/u/ckpt/ckpt_a.out_1a2b3c4d-4242-1f2e3d.stasis", 1048576, 4194304,
                                 250000, ""};
    wb_init(&w, buf, sizeof buf);
    proto_encode_ckpt_result(&w, &ok);
    expect_encoding("CKPT_RESULT", MSG_CKPT_RESULT, &w);
    struct msg_ckpt_result failed = {3, 1, "", 0x0123456789abcdefull, 0xfedcba9876543210ull, 0,
                                     "No space left on device"};
    wb_init(&w, buf, sizeof buf);
    proto_encode_ckpt_result(&w, &failed);
    expect_encoding("CKPT_RESULT_FAILED", MSG_CKPT_RESULT, &w);

    struct msg_progress progress = {3, 5000000000ull, 8589934592ull};
    wb_init(&w, buf, sizeof buf);
    proto_encode_progress(&w, &progress);
    expect_encoding("PROGRESS", MSG_PROGRESS, &w);

    wb_init(&w, buf, sizeof buf);
    proto_encode_bye(&w, 1);
    expect_encoding("BYE", MSG_BYE, &w);

    wb_init(&w, buf, sizeof buf);
    proto_encode_unrestored(&w, 3, "fd 5 socket:[TCP 127.0.0.1:40000->127.0.0.1:5000]");
    expect_encoding("UNRESTORED", MSG_UNRESTORED, &w);

    static const unsigned char sockaddr[] = {0x7f, 0x00, 0x00, 0x01, 0x1f, 0x90};
    wb_init(&w, buf, sizeof buf);
    proto_encode_name_publish(&w, "sockets:listen:4242:3", sockaddr, sizeof sockaddr);
    expect_encoding("NAME_PUBLISH", MSG_NAME_PUBLISH, &w);
    wb_init(&w, buf, sizeof buf);
    proto_encode_name_lookup(&w, "sockets:listen:4242:3");
    expect_encoding("NAME_LOOKUP", MSG_NAME_LOOKUP, &w);
}

static void test_decoders(void)
{
    struct rbuf r;
    struct msg_challenge challenge;
    if (body_of(find("frame", "CHALLENGE"), MSG_CHALLENGE, &r) == 0) {
        CHECK(proto_decode_challenge(&r, &challenge) == 0 && challenge.version == 1 && challenge.revision == 1 &&
                  challenge.nonce[0] == 0xa0 && challenge.nonce[31] == 0xbf,
              "CHALLENGE");
    }
    if (body_of(find("frame", "CHALLENGE_REVISION_0"), MSG_CHALLENGE, &r) == 0)
        CHECK(proto_decode_challenge(&r, &challenge) == 0 && challenge.version == 1 && challenge.revision == 0,
              "CHALLENGE_REVISION_0");
    struct msg_error error;
    if (body_of(find("frame", "ERROR"), MSG_ERROR, &r) == 0)
        CHECK(proto_decode_error(&r, &error) == 0 && error.code == 2 && strcmp(error.message, "bad secret") == 0,
              "ERROR");
    struct msg_welcome welcome;
    if (body_of(find("frame", "WELCOME"), MSG_WELCOME, &r) == 0)
        CHECK(proto_decode_welcome(&r, &welcome) == 0 && welcome.process_number == 1 && welcome.generation == 0 &&
                  welcome.interval_s == 60,
              "WELCOME");
    static struct msg_checkpoint checkpoint;
    if (body_of(find("frame", "CHECKPOINT"), MSG_CHECKPOINT, &r) == 0)
        CHECK(proto_decode_checkpoint(&r, &checkpoint) == 0 && checkpoint.generation == 3 &&
                  strcmp(checkpoint.dir, "/home/u/ckpt") == 0 && checkpoint.computation_size == 2,
              "CHECKPOINT");
    if (body_of(find("frame", "CHECKPOINT_OWN_DIR"), MSG_CHECKPOINT, &r) == 0)
        CHECK(proto_decode_checkpoint(&r, &checkpoint) == 0 && checkpoint.generation == 1 && checkpoint.dir[0] == 0 &&
                  checkpoint.computation_size == 1,
              "CHECKPOINT_OWN_DIR");
    struct msg_barrier release;
    if (body_of(find("frame", "RELEASE"), MSG_RELEASE, &r) == 0)
        CHECK(proto_decode_barrier(&r, &release) == 0 && strcmp(release.name, "DRAINED") == 0 &&
                  release.generation == 3,
              "RELEASE");
    struct msg_abort abort_msg;
    if (body_of(find("frame", "ABORT"), MSG_ABORT, &r) == 0)
        CHECK(proto_decode_abort(&r, &abort_msg) == 0 && abort_msg.generation == 3 &&
                  strcmp(abort_msg.reason, "pid 4242 (a.out) disconnected during checkpoint 3") == 0,
              "ABORT");
    struct msg_name_value value;
    if (body_of(find("frame", "NAME_VALUE"), MSG_NAME_VALUE, &r) == 0)
        CHECK(proto_decode_name_value(&r, &value) == 0 && strcmp(value.key, "sockets:listen:4242:3") == 0 &&
                  value.found == 1 && value.length == 6 && value.value[0] == 0x7f && value.value[5] == 0x90,
              "NAME_VALUE");
    if (body_of(find("frame", "NAME_VALUE_NOT_FOUND"), MSG_NAME_VALUE, &r) == 0)
        CHECK(proto_decode_name_value(&r, &value) == 0 && strcmp(value.key, "nobody") == 0 && value.found == 0 &&
                  value.length == 0,
              "NAME_VALUE_NOT_FOUND");
}

static void test_rejections(void)
{
    struct rbuf r;
    struct msg_barrier barrier;
    const struct vector *v = find("bad", "SHORT_BODY");
    if (v) {
        rb_init(&r, v->bytes + 8, v->length - 8);
        CHECK(proto_decode_barrier(&r, &barrier) < 0, "SHORT_BODY accepted");
    }
    v = find("bad", "TRAILING_BYTES");
    if (v) {
        rb_init(&r, v->bytes + 8, v->length - 8);
        CHECK(proto_decode_barrier(&r, &barrier) < 0, "TRAILING_BYTES accepted");
    }
    v = find("bad", "SHORT_NONCE");
    if (v) {
        struct msg_challenge challenge;
        rb_init(&r, v->bytes + 8, v->length - 8);
        CHECK(proto_decode_challenge(&r, &challenge) < 0, "SHORT_NONCE accepted");
    }
    v = find("bad", "NAME_VALUE_FOUND_2");
    if (v) {
        struct msg_name_value value;
        rb_init(&r, v->bytes + 8, v->length - 8);
        CHECK(proto_decode_name_value(&r, &value) < 0, "NAME_VALUE_FOUND_2 accepted");
    }
    v = find("bad", "LENGTH_TOO_SMALL");
    CHECK(v && !coord_frame_length_ok(le32(v->bytes)), "LENGTH_TOO_SMALL accepted");
    v = find("bad", "LENGTH_TOO_LARGE");
    CHECK(v && !coord_frame_length_ok(le32(v->bytes)), "LENGTH_TOO_LARGE accepted");
}

int main(void)
{
    const char *repo = getenv("REPO");
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/protocol-vectors.txt", repo ? repo : "..");
    load(path);
    test_hmac();
    test_encoders();
    test_decoders();
    test_rejections();
    return check_report("protocol vectors");
}
