/* Restarting several processes at once: the tree they formed (parents, process
 * groups, sessions, zombie children) is rebuilt with fork(), objects they shared
 * (pipes, inherited open file descriptions) are opened once before forking so all
 * of them inherit the same one, and every process passes the point of no return
 * only when all of them are ready. */
#ifndef STASIS_TREE_H
#define STASIS_TREE_H

#include "../common/image_read.h"
#include "restore.h"

/* Returns only on failure (in the process that ran stasis-restart). */
int tree_restore(struct image *images, char (*paths)[4096], int count, struct restore_plan *plan);

#endif
