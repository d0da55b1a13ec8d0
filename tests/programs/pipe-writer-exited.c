/* Bytes in a pipe whose writer has exited: a child writes RECORDS 64-byte numbered
 * records (pipe-records.h) into a pipe and exits; the parent and a second child
 * (holding the read end the way `sleep` inherits it in bash's
 * `x=$(echo … | { sleep 2; cat; })`) wait, and only then the parent reads. A
 * checkpoint during the wait finds the pipe with no write end in any process:
 * after a restart the parent must still read every record, then end of file.
 *
 * Prints "writer exited" once the writer is reaped, waits until GO-FILE exists (at
 * most 5 s), then prints its verdict ("pipe verified N records: 0 lost, …") and
 * "done". Usage: pipe-writer-exited GO-FILE */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "pipe-records.h"

#define RECORDS 500u                   /* and the end record: 32064 bytes, a pipe of 64 KiB holds them */
#define WAIT_STEPS 100
#define WAIT_STEP_NS 50000000L

static void wait_for(const char *go_file)
{
    for (int i = 0; i < WAIT_STEPS && access(go_file, F_OK) != 0; i++) {
        struct timespec t = {0, WAIT_STEP_NS};
        while (nanosleep(&t, &t) < 0 && errno == EINTR)
            ;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s GO-FILE\n", argv[0]);
        return 2;
    }
    int p[2];
    if (pipe(p) < 0) {
        say("pipe failed: %s\n", strerror(errno));
        return 1;
    }
    pid_t writer = fork();
    if (writer == 0) {
        close(p[0]);
        unsigned char record[RECORD_BYTES];
        for (uint64_t seq = 0; seq <= RECORDS; seq++) {
            record_make(seq < RECORDS ? seq : RECORD_END | seq, record);
            if (write(p[1], record, sizeof record) != (ssize_t)sizeof record)
                _exit(1);
        }
        _exit(0);
    }
    if (writer < 0) {
        say("fork failed: %s\n", strerror(errno));
        return 1;
    }
    close(p[1]);
    if (!ended_well(writer, "writer"))
        return 1;
    pid_t holder = fork();
    if (holder == 0) {
        wait_for(argv[1]);
        _exit(0);
    }
    if (holder < 0) {
        say("fork failed: %s\n", strerror(errno));
        return 1;
    }
    say("writer exited\n");
    wait_for(argv[1]);
    struct record_check c = {.stream = "pipe"};
    unsigned char chunk[1000];
    for (;;) {
        ssize_t n = read(p[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            say("read failed after record %llu: %s\n", (unsigned long long)c.next, strerror(errno));
            return 1;
        }
        if (n == 0)
            break;
        record_check_bytes(&c, chunk, (size_t)n);
    }
    int bad = record_check_verdict(&c);
    if (!ended_well(holder, "holder") || bad)
        return 1;
    say("done\n");
    return 0;
}
