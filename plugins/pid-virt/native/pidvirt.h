/* pid-virt fragment: the ids a program saw before a checkpoint stay its ids after
 * restart. The kernel gives restored processes and threads new ids; a table maps
 * the ids the program knows (virtual) to the kernel's, and the calls that take or
 * return an id translate. Threads keep their virtual id in glibc's descriptor, so
 * error-checking mutexes held across a checkpoint still unlock. */
#ifndef STASIS_PIDVIRT_H
#define STASIS_PIDVIRT_H

#include <sys/types.h>

/* processes (and the groups and sessions named after them) */
pid_t pidvirt_to_kernel(pid_t virtual_pid);
pid_t pidvirt_to_virtual(pid_t kernel_pid);
/* a signed pid argument: >0 a process, <-1 a process group, 0 and -1 unchanged */
pid_t pidvirt_to_kernel_signed(pid_t pid);
pid_t pidvirt_self(void);
pid_t pidvirt_kernel_self(void);
/* Has a process of the computation this virtual pid? (a new child must not get it) */
int pidvirt_taken(pid_t pid);

/* threads */
pid_t pidvirt_thread_to_kernel(pid_t virtual_tid);
pid_t pidvirt_self_tid(void);
/* a thread created after a restart: give it an id no restored thread has */
void pidvirt_adopt_new_thread(void);

/* a system call made with kernel ids before the checkpoint: the same ids now */
pid_t pidvirt_refresh(pid_t old_kernel_pid);

#endif
