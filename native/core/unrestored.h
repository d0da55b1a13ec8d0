/* What a checkpoint saves but no plugin puts back: sockets, SysV shared memory,
 * ptys other than the controlling terminal, descriptors of kinds nobody restores,
 * children that are not under Stasis. Each is logged and told to the coordinator
 * (UNRESTORED), so that `stasis checkpoint` says so instead of succeeding in
 * silence. Runs on the checkpoint thread while the others are frozen: no
 * allocation beyond scratch memory, no stdio. */
#ifndef STASIS_UNRESTORED_H
#define STASIS_UNRESTORED_H

#include <stdint.h>

/* Look at the process once its descriptors are captured (fds_capture) and report
 * what will not come back. */
void unrestored_scan(uint32_t generation);
/* Report one resource ("fd 5 anon_inode:[pidfd]") of the checkpoint being taken:
 * what plugins call, through stasis_report_unrestored(). */
void unrestored_report(const char *what);

#endif
