/* The restart mailbox: a struct inside libstasis's memory whose address is in the
 * image (PROCESS.restart_mailbox). stasis-restart fills a copy with what only the
 * restarting side knows (the new coordinator, where the restorer left its code)
 * and the restorer copies it into place once memory is back. */
#ifndef STASIS_MAILBOX_H
#define STASIS_MAILBOX_H

#include <stdint.h>

#define STASIS_MAILBOX_MAGIC 0x78626C6D53545331ull /* "1STSmlbx" */
#define STASIS_MAILBOX_VERSION 1u

struct stasis_mailbox {
    uint64_t magic;
    uint32_t version;
    uint32_t debug;
    uint64_t restorer_start;     /* the restorer's mapping, unmapped by libstasis */
    uint64_t restorer_length;
    int64_t set_mm_result;       /* prctl(PR_SET_MM_MAP): 0 or -errno */
    uint64_t restart_started_ns; /* CLOCK_REALTIME when stasis-restart began */
    uint64_t metadata_address;   /* a copy of the image up to MEMORY (its sections), */
    uint64_t metadata_length;    /* inside the restorer's mapping */
    uint32_t coord_port;
    /* `stasis restart --path-map` (common/path_map.h): where the map is, as an
     * offset from restorer_start; 0 when there is none */
    uint32_t path_map_offset;
    char coord_host[256];
    char secret_hex[72];
    char ckpt_dir[4096];
    char tmpdir[4096];
    char image_path[4096];
    /* a restart of several processes (else 0): the kernel pid of each process of the
     * computation on this host, and the shared objects the restarter opened once
     * and every process inherited; both inside the restorer's mapping */
    uint64_t pids_address;
    uint32_t pid_count;
    uint32_t share_count;
    uint64_t shares_address;
};

struct stasis_restart_pid {
    int32_t known_pid;
    int32_t kernel_pid;
};

/* An object several processes share: one descriptor for all of them (for a pipe,
 * read_fd and write_fd; otherwise fd only). */
struct stasis_restart_share {
    uint64_t share_id;
    int32_t fd;
    int32_t write_fd;
};

#endif
