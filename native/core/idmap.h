/* How the program knows process ids. Without pid-virt they are the kernel's; the
 * pid-virt fragment provides its translation at start-up (stasis_provide_ids). */
#ifndef STASIS_IDMAP_H
#define STASIS_IDMAP_H

int idmap_to_virtual(int kernel_pid);
int idmap_to_kernel(int virtual_pid);
/* a kernel pid from before the restart → the same process's kernel pid now */
int idmap_refresh(int old_kernel_pid);

#endif
