/* DMTCP's NEXT_FNC, without its globals: a wrapper finds the real function behind
 * it once with dlsym(RTLD_NEXT) and caches the pointer in its module's state. */
#ifndef STASIS_NEXT_FN_H
#define STASIS_NEXT_FN_H

#include <dlfcn.h>

static inline void *stasis_next_fn_cached(void **cache, const char *name)
{
    void *fn = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (!fn) {
        fn = dlsym(RTLD_NEXT, name);
        __atomic_store_n(cache, fn, __ATOMIC_RELEASE);
    }
    return fn;
}

/* NEXT_FN(state, name): the real `name`, typed like our wrapper of it */
#define NEXT_FN(state, name) ((__typeof__(&name))stasis_next_fn_cached((void **)&(state).name, #name))

#endif
