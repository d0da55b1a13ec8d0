/* What a socket is, in one line for people: "TCP 127.0.0.1:40000->127.0.0.1:5000",
 * "UNIX stream /run/x.sock", "UDP [::1]:53". Syscalls only, no allocation: it runs
 * during a checkpoint. */
#ifndef STASIS_SOCKNAME_H
#define STASIS_SOCKNAME_H

#include <stddef.h>

/* Describe socket fd into buf (always NUL-terminated). */
void sockname_describe(int fd, char *buf, size_t cap);

#endif
