#include "idmap.h"

#include "../include/stasis/ids.h"

#define EXPORT __attribute__((visibility("default")))

static struct idmap_state {
    stasis_id_map to_virtual, to_kernel, refresh;
} idmap_state;

EXPORT void stasis_provide_id_refresh(stasis_id_map refresh)
{
    idmap_state.refresh = refresh;
}

int idmap_refresh(int old_kernel_pid)
{
    return idmap_state.refresh ? idmap_state.refresh(old_kernel_pid) : old_kernel_pid;
}

EXPORT void stasis_provide_ids(stasis_id_map to_virtual, stasis_id_map to_kernel)
{
    idmap_state.to_virtual = to_virtual;
    idmap_state.to_kernel = to_kernel;
}

int idmap_to_virtual(int kernel_pid)
{
    return idmap_state.to_virtual ? idmap_state.to_virtual(kernel_pid) : kernel_pid;
}

int idmap_to_kernel(int virtual_pid)
{
    return idmap_state.to_kernel ? idmap_state.to_kernel(virtual_pid) : virtual_pid;
}
