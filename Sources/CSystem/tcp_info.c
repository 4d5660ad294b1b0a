/* TCP_INFO from the kernel's own header: glibc's <netinet/tcp.h> (used in csystem.c, which this
   header conflicts with) stops before the RFC 4898 segment counters. */
#include "csystem.h"
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

long long csystem_tcp_data_segments_in(int fd) {
    struct tcp_info info;
    socklen_t length = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return -1;
    return info.tcpi_data_segs_in;
}
