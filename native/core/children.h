/* The process's children at checkpoint (CHILDREN section): the restart recreates
 * the tree from the images, and zombies from this list. */
#ifndef STASIS_CHILDREN_H
#define STASIS_CHILDREN_H

#include "../common/wire.h"

int children_encode(struct wbuf *out);
/* Call fn with the kernel pid of every child of every thread. */
void children_each(void (*fn)(long pid, void *arg), void *arg);

#endif
