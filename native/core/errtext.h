/* What an errno means, in strerror's words, without libc (async-signal-safe: the
 * checkpoint path and the restart report failures with it). */
#ifndef STASIS_ERRTEXT_H
#define STASIS_ERRTEXT_H

/* err is an errno value, positive or negated; unknown ones read "error N". The
 * text may be in a shared buffer for unknown values: use it before the next call. */
const char *errtext(long err);

#endif
