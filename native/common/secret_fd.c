#include "secret_fd.h"

#include <errno.h>

#include "sys.h"

int stasis_secret_from_fd(const char *fd_text, char hex[STASIS_SECRET_HEX_LENGTH + 1])
{
    long fd = 0;
    if (!fd_text || !*fd_text)
        return -EINVAL;
    for (const char *p = fd_text; *p; p++) {
        if (*p < '0' || *p > '9' || fd > 1000000)
            return -EINVAL;
        fd = fd * 10 + (*p - '0');
    }
    long got = 0;
    while (got < STASIS_SECRET_HEX_LENGTH) {
        long n = sys3(SYS_read, fd, (long)(hex + got), STASIS_SECRET_HEX_LENGTH - got);
        if (n == -EINTR)
            continue;
        if (n <= 0) {
            got = n < 0 ? n : -EINVAL;
            break;
        }
        got += n;
    }
    sys1(SYS_close, fd);
    if (got < 0)
        return (int)got;
    hex[STASIS_SECRET_HEX_LENGTH] = 0;
    return 0;
}
