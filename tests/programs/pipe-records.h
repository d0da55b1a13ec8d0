/* 64-byte numbered records for the pipe programs (pipe-fanout.c, pipe-writer-exited.c):
 * a record carries its sequence number twice (the second time xor'ed) and a pattern
 * derived from it, so a reader knows at once which record it got, and counts what
 * went missing or came twice (in records; bytes that are no record, in bytes)
 * instead of merely stopping at the first fault; and how a child of theirs ended. */
#ifndef PIPE_RECORDS_H
#define PIPE_RECORDS_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "say.h"

#define RECORD_BYTES 64u
#define RECORD_XOR 0x5354415349535f5full
/* the last record of a stream: this bit and the number of records before it */
#define RECORD_END (1ull << 63)

static void record_make(uint64_t seq, unsigned char *out)
{
    uint64_t check = seq ^ RECORD_XOR;
    memcpy(out, &seq, 8);
    memcpy(out + 8, &check, 8);
    for (unsigned i = 16; i < RECORD_BYTES; i++)
        out[i] = (unsigned char)(seq * 131u + i * 7u + (seq >> 8));
}

/* What a reader saw so far: the next record it expects and every fault. */
struct record_check {
    const char *stream;
    uint64_t next, lost, repeated;
    uint64_t corrupt, skipped; /* bytes that were no record; of them, not yet reported */
    int ended;                 /* the end record came */
    unsigned char partial[RECORD_BYTES];
    unsigned partial_length;
};

static int record_valid(const unsigned char *r)
{
    uint64_t seq;
    memcpy(&seq, r, 8);
    unsigned char expected[RECORD_BYTES];
    record_make(seq, expected);
    return memcmp(r, expected, RECORD_BYTES) == 0;
}

/* One whole valid record: counts a gap as lost records, an older number as a
 * repeat, and goes on from the record it got. */
static void record_check_one(struct record_check *c, const unsigned char *r)
{
    uint64_t seq;
    memcpy(&seq, r, 8);
    if (seq & RECORD_END) {
        uint64_t total = seq & ~RECORD_END;
        if (total > c->next) {
            say("%s: LOST the last %llu records\n", c->stream, (unsigned long long)(total - c->next));
            c->lost += total - c->next;
        } else if (total < c->next) {
            say("%s: REPEATED %llu records at the end\n", c->stream, (unsigned long long)(c->next - total));
            c->repeated += c->next - total;
        }
        c->next = total;
        c->ended = 1;
        return;
    }
    if (seq > c->next) {
        say("%s: LOST %llu records before record %llu\n", c->stream, (unsigned long long)(seq - c->next),
            (unsigned long long)seq);
        c->lost += seq - c->next;
    } else if (seq < c->next) {
        say("%s: REPEATED %llu records from record %llu\n", c->stream, (unsigned long long)(c->next - seq),
            (unsigned long long)seq);
        c->repeated += c->next - seq;
    }
    c->next = seq + 1;
}

/* Bytes as read, records straddling reads. Bytes that are not a record (a piece
 * of one went missing) are skipped one by one until a whole record lines up
 * again, and counted as corrupt. */
static void record_check_bytes(struct record_check *c, const unsigned char *data, size_t length)
{
    while (length > 0) {
        size_t take = RECORD_BYTES - c->partial_length;
        if (take > length)
            take = length;
        memcpy(c->partial + c->partial_length, data, take);
        c->partial_length += (unsigned)take;
        data += take;
        length -= take;
        if (c->partial_length < RECORD_BYTES)
            continue;
        if (!record_valid(c->partial)) {
            c->skipped++;
            memmove(c->partial, c->partial + 1, RECORD_BYTES - 1);
            c->partial_length--;
            continue;
        }
        if (c->skipped) {
            say("%s: CORRUPT %llu bytes where record %llu was due\n", c->stream, (unsigned long long)c->skipped,
                (unsigned long long)c->next);
            c->corrupt += c->skipped;
            c->skipped = 0;
        }
        record_check_one(c, c->partial);
        c->partial_length = 0;
    }
}

/* The reader's last line, at end of file, then its exit status: 0 only when
 * nothing went wrong. */
static int record_check_verdict(const struct record_check *c)
{
    say("%s verified %llu records: %llu lost, %llu repeated, %llu corrupt bytes%s\n", c->stream,
        (unsigned long long)c->next, (unsigned long long)c->lost, (unsigned long long)c->repeated,
        (unsigned long long)(c->corrupt + c->skipped + c->partial_length), c->ended ? "" : ", NO END");
    return c->lost || c->repeated || c->corrupt || c->skipped || c->partial_length || !c->ended ? 1 : 0;
}

/* 1 when the child exited 0; otherwise a line saying how it ended, and 0. */
static int ended_well(pid_t child, const char *who)
{
    int status;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) {
            say("waitpid failed: %s\n", strerror(errno));
            return 0;
        }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 1;
    say("%s did not end well (status %d)\n", who, status);
    return 0;
}

#endif
