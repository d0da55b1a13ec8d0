#include "errtext.h"

#include <errno.h>

#include "fmt.h"

static struct errtext_state {
    char unknown[32];
} errtext_state;

const char *errtext(long err)
{
    static const struct {
        int code;
        const char *text;
    } names[] = {
        {EPERM, "Operation not permitted"}, {ENOENT, "No such file or directory"}, {EIO, "Input/output error"},
        {ENXIO, "No such device or address"}, {EBADF, "Bad file descriptor"},
        {EAGAIN, "Resource temporarily unavailable"},
        {ENOMEM, "Cannot allocate memory"}, {EACCES, "Permission denied"}, {EBUSY, "Device or resource busy"},
        {EEXIST, "File exists"}, {ENOTDIR, "Not a directory"}, {EISDIR, "Is a directory"},
        {EINVAL, "Invalid argument"}, {ENFILE, "Too many open files in system"}, {EMFILE, "Too many open files"},
        {EFBIG, "File too large"}, {ENOSPC, "No space left on device"}, {EROFS, "Read-only file system"},
        {EPIPE, "Broken pipe"}, {ENAMETOOLONG, "File name too long"}, {ENOSYS, "Function not implemented"},
        {ELOOP, "Too many levels of symbolic links"}, {EPROTO, "Protocol error"}, {EMSGSIZE, "Message too long"},
        {EOPNOTSUPP, "Operation not supported"}, {ECONNABORTED, "Software caused connection abort"},
        {ECONNRESET, "Connection reset by peer"}, {ENOTCONN, "Transport endpoint is not connected"},
        {ETIMEDOUT, "Connection timed out"}, {ECONNREFUSED, "Connection refused"}, {EDQUOT, "Disk quota exceeded"},
    };
    int code = (int)(err < 0 ? -err : err);
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].code == code)
            return names[i].text;
    stasis_fmt(errtext_state.unknown, sizeof errtext_state.unknown, "error %d", code);
    return errtext_state.unknown;
}
