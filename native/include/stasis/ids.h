/* For the one plugin that virtualizes process and thread ids (pid-virt): how it
 * tells the core which ids the program knows, and what the core tells it of the
 * threads and processes it restored. No other fragment needs this header. */
#ifndef STASIS_IDS_H
#define STASIS_IDS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The plugin that virtualizes process ids (pid-virt) tells the core how the
 * program knows ids, so images record the ids the program saw. */
typedef int (*stasis_id_map)(int id);
void stasis_provide_ids(stasis_id_map to_virtual, stasis_id_map to_kernel);
/* …and how a kernel pid from before the last restart maps to the kernel pid of the
 * same process now (a waitpid() interrupted by the checkpoint is issued again
 * after restart with the ids it had). */
void stasis_provide_id_refresh(stasis_id_map refresh);

/* After a restart of several processes: the kernel pid each process of the
 * computation got on this host, by the pid the program knew it by. Returns the
 * number of entries (0 when this process was restarted alone). */
struct stasis_restarted_process {
    int known_pid;
    int kernel_pid;
};
int stasis_restarted_processes(struct stasis_restarted_process *out, int max);

/* Threads of the process, for plugins that translate thread ids. */
struct stasis_thread {
    int known_tid;                  /* the id the program knows the thread by */
    int kernel_tid;                 /* the kernel's id now */
    int *descriptor_tid;            /* glibc's copy of the tid (struct pthread), or NULL */
};
int stasis_thread_count(void);
int stasis_thread_get(int index, struct stasis_thread *out);
/* Where glibc keeps a thread's tid, given its pthread_t; NULL if unknown. */
int *stasis_pthread_tid(unsigned long thread);

#ifdef __cplusplus
}
#endif
#endif
