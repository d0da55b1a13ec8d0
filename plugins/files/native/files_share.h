/* Open file descriptions that several processes of the computation hold (inherited
 * through fork): deleted files and memfds (files_unlinked.c, files_memfd.c) and the
 * event descriptors (files_event.c, files_epoll.c). One process, the leader,
 * recreates the description at RESTART and publishes where it is; the others take
 * that very description from it (files_share.c). What a kind does around that (its
 * aliases, its mappings, what it does when the take fails) stays in its own file. */
#ifndef STASIS_FILES_SHARE_H
#define STASIS_FILES_SHARE_H

#include <stdint.h>
#include <sys/stat.h>

#include "files.h"

/* WRITE: who leads fd's description (st: its fstat), as struct files_share says;
 * pid 0 when no other process holds it. */
void files_share_identify(int fd, const struct stat *st, struct files_share *out);

/* RESTART, once fd is recreated: in the leader, tell the others where it is
 * ("files:share:PID:FD" → "PID FD"); nothing in any other process. */
void files_share_publish(const struct files_share *share, int fd);

/* How a process that is not the leader takes the description. */
struct files_share_how {
    /* RESTART: the leader may not have published yet, wait up to 20 s for it.
     * REFILL: look once (every process passed the RESTARTED barrier before). */
    int wait;
    /* what /proc/self/fd/N of the descriptor taken must read, or NULL */
    const char *link;
    /* >= 0: when the description cannot be taken, open the leader's file again
     * through /proc with these flags at `reopen_offset` (a description of its own);
     * -1: the description or nothing */
    long reopen_flags;
    uint64_t reopen_offset;
};

/* A new descriptor of the leader's description (or of its file, as `how` allows),
 * or -errno. *leader: the leader's pid now, 0 when it did not say where it is. */
long files_share_take(const struct files_share *share, const struct files_share_how *how, long *leader);

#endif
