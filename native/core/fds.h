/* File descriptors of the process (the core's share: regular files, directories,
 * character devices, terminals, pipes inside the process). Captured while threads
 * are frozen; restored by the restarted process's checkpoint thread before any
 * user thread runs. */
#ifndef STASIS_FDS_H
#define STASIS_FDS_H

#include "../common/wire.h"

/* Record every descriptor (pipe contents copied, not consumed). 0 or -errno. */
int fds_capture(void);
/* Encode the FDS section payload of the last capture. */
int fds_encode(struct wbuf *out);
struct img_fd;
/* The records of the last capture (count in *count), or NULL. */
const struct img_fd *fds_captured(int *count);
/* The STASIS_RESOURCE_* kind a plugin may declare for this descriptor, or NULL for
 * what the core restores itself (files with a path, directories, devices, pipes). */
const char *fds_resource_kind(const struct img_fd *f);
/* Forget the capture (frees its scratch memory). */
void fds_release(void);
/* After a restart: the capture's scratch memory was not saved. */
void fds_forget(void);

struct stasis_restart_share;

/* Restart: recreate every descriptor of an FDS section payload. The restarting
 * command's 0, 1, 2 are used for terminals and for pipes and sockets that led
 * outside the process. Objects shared with other processes of the restart come
 * from `shares`, descriptors the restarter opened once and everybody inherited.
 * 0, or -1 with a one-line reason in why. */
int fds_restore(const void *section, uint64_t length, const struct stasis_restart_share *shares, int share_count,
                char *why, size_t why_cap);

#endif
