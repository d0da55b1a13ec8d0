/* pid-virt fragment: the ids a program saw before a checkpoint stay its ids after
 * restart. The kernel gives a restored process and its threads new ids; glibc's
 * own copy of each thread's id (which error-checking mutexes compare with their
 * owner) is put back to the old value, and the calls that hand ids to the kernel
 * translate them. */
#ifndef STASIS_PIDVIRT_H
#define STASIS_PIDVIRT_H

#include <sys/types.h>

/* virtual → kernel id (itself when not translated) */
pid_t pidvirt_real_tid(pid_t virtual_tid);
pid_t pidvirt_real_pid(pid_t virtual_pid);
/* the calling process/thread as the program knows it */
pid_t pidvirt_self_pid(void);
pid_t pidvirt_self_tid(void);
/* the kernel's pid of this process now */
pid_t pidvirt_kernel_pid(void);

#endif
