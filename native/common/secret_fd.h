/* The coordinator's secret handed over on a descriptor: `stasis launch` and
 * `stasis restart` write its 64 hex digits into a pipe and name the read end in
 * STASIS_SECRET_FD, so that it is never in an environment block (which the
 * kernel shows in /proc/PID/environ). */
#ifndef STASIS_SECRET_FD_H
#define STASIS_SECRET_FD_H

#define STASIS_SECRET_HEX_LENGTH 64

/* Reads the 64 hex digits from the descriptor numbered in fd_text and closes it.
 * 0 with hex NUL-terminated, or -errno (-EINVAL: not a descriptor number, or
 * not 64 bytes). */
int stasis_secret_from_fd(const char *fd_text, char hex[STASIS_SECRET_HEX_LENGTH + 1]);

#endif
