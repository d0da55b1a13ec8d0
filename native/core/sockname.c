#include "sockname.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../common/sys.h"
#include "fmt.h"

static int socket_option(int fd, int name)
{
    int value = -1;
    socklen_t length = sizeof value;
    if (sys5(SYS_getsockopt, fd, SOL_SOCKET, name, (long)&value, (long)&length) < 0)
        return -1;
    return value;
}

static void address_text(const struct sockaddr_storage *a, socklen_t length, char *out, size_t cap)
{
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)a;
        const unsigned char *b = (const unsigned char *)&in->sin_addr;
        stasis_fmt(out, cap, "%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3], ntohs(in->sin_port));
    } else if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)a;
        const unsigned char *b = in6->sin6_addr.s6_addr;
        size_t n = stasis_fmt(out, cap, "[");
        for (int i = 0; i < 16 && n < cap; i += 2)
            n += stasis_fmt(out + n, cap - n, i ? ":%x" : "%x", (unsigned)(b[i] << 8 | b[i + 1]));
        if (n < cap)
            stasis_fmt(out + n, cap - n, "]:%u", ntohs(in6->sin6_port));
    } else if (a->ss_family == AF_UNIX) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)a;
        size_t path_length = length > offsetof(struct sockaddr_un, sun_path)
                                 ? length - offsetof(struct sockaddr_un, sun_path) : 0;
        if (path_length == 0)
            stasis_fmt(out, cap, "unnamed");
        else if (un->sun_path[0] == 0) /* abstract: not NUL-terminated */
            stasis_fmt(out, cap, "@%.*s", (int)(path_length - 1), un->sun_path + 1);
        else
            stasis_fmt(out, cap, "%s", un->sun_path);
    } else {
        out[0] = 0;
    }
}

static const char *kind_text(int domain, int type)
{
    int inet = domain == AF_INET || domain == AF_INET6;
    switch (type) {
    case SOCK_STREAM:
        return inet ? "TCP" : domain == AF_UNIX ? "UNIX stream" : "stream";
    case SOCK_DGRAM:
        return inet ? "UDP" : domain == AF_UNIX ? "UNIX dgram" : "dgram";
    case SOCK_SEQPACKET:
        return domain == AF_UNIX ? "UNIX seqpacket" : "seqpacket";
    case SOCK_RAW:
        return "raw";
    default:
        return "socket";
    }
}

void sockname_describe(int fd, char *buf, size_t cap)
{
    int domain = socket_option(fd, SO_DOMAIN), type = socket_option(fd, SO_TYPE);
    if (domain == AF_NETLINK) {
        stasis_fmt(buf, cap, "netlink");
        return;
    }
    if (domain != AF_INET && domain != AF_INET6 && domain != AF_UNIX) {
        stasis_fmt(buf, cap, "%s of family %d", kind_text(domain, type), domain);
        return;
    }
    struct sockaddr_storage local, peer;
    socklen_t local_length = sizeof local, peer_length = sizeof peer;
    char here[160] = "", there[160] = "";
    memset(&local, 0, sizeof local);
    memset(&peer, 0, sizeof peer);
    if (sys3(SYS_getsockname, fd, (long)&local, (long)&local_length) == 0)
        address_text(&local, local_length, here, sizeof here);
    if (sys3(SYS_getpeername, fd, (long)&peer, (long)&peer_length) == 0)
        address_text(&peer, peer_length, there, sizeof there);
    if (there[0])
        stasis_fmt(buf, cap, "%s %s->%s", kind_text(domain, type), here, there);
    else if (socket_option(fd, SO_ACCEPTCONN) == 1)
        stasis_fmt(buf, cap, "%s %s listening", kind_text(domain, type), here);
    else
        stasis_fmt(buf, cap, "%s %s", kind_text(domain, type), here);
}
