#define _GNU_SOURCE
#include "csystem.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

int csystem_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int csystem_epoll_add(int epfd, int fd, uint64_t data) {
    /* Edge-triggered for both directions: the reactor remembers readiness per fd. */
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u64 = data};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int csystem_epoll_del(int epfd, int fd) {
    struct epoll_event ev = {0};
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev);
}

int csystem_epoll_wait(int epfd, uint64_t *data, uint32_t *flags, int max, int timeout_ms) {
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    if (n < 0) return errno == EINTR ? 0 : -1;
    for (int i = 0; i < n; i++) {
        data[i] = events[i].data.u64;
        flags[i] = events[i].events;
    }
    return n;
}

int csystem_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int csystem_eventfd_signal(int fd) {
    uint64_t one = 1;
    return (int)write(fd, &one, sizeof one);
}

int csystem_eventfd_drain(int fd) {
    uint64_t value;
    return (int)read(fd, &value, sizeof value);
}

int csystem_accept4(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int csystem_socket_nonblocking(int domain, int type) {
    return socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

int csystem_set_nodelay(int fd) {
    int on = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

int csystem_set_cork(int fd) {
    int on = 1;
    return setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
}

int csystem_set_reuseaddr(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
}

int csystem_set_v6only(int fd, int on) { return setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on); }

int csystem_set_linger_zero(int fd) {
    struct linger value = {.l_onoff = 1, .l_linger = 0};
    return setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof value);
}

int csystem_set_keepalive(int fd, int idle_seconds, int interval_seconds, int probes) {
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on) != 0) return -1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_seconds, sizeof idle_seconds) != 0) return -1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_seconds, sizeof interval_seconds) != 0) return -1;
    return setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
}

int csystem_get_keepalive(int fd, int *idle_seconds, int *interval_seconds, int *probes) {
    int on = 0;
    socklen_t size = sizeof on;
    if (getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, &size) != 0 || !on) return 0;
    size = sizeof *idle_seconds;
    getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, idle_seconds, &size);
    size = sizeof *interval_seconds;
    getsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, interval_seconds, &size);
    size = sizeof *probes;
    getsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, probes, &size);
    return 1;
}

int csystem_socket_error(int fd) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return errno;
    return err;
}

int csystem_eai_is_no_such_host(int code) {
    return code == EAI_NONAME || code == EAI_NODATA || code == EAI_ADDRFAMILY;
}

int csystem_is_connected(int fd) {
    struct sockaddr_storage peer;
    socklen_t len = sizeof peer;
    return getpeername(fd, (struct sockaddr *)&peer, &len) == 0 ? 1 : 0;
}

int csystem_flag_readable(uint32_t flags) { return (flags & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0; }
int csystem_flag_writable(uint32_t flags) { return (flags & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0; }
int csystem_flag_hangup(uint32_t flags) { return (flags & (EPOLLHUP | EPOLLERR)) != 0; }

int csystem_clock_monotonic_ns(uint64_t *out) {
    struct timespec ts;
    int rc = clock_gettime(CLOCK_MONOTONIC, &ts);
    *out = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    return rc;
}

int csystem_ignore_sigpipe(void) { return signal(SIGPIPE, SIG_IGN) == SIG_ERR ? -1 : 0; }

long csystem_clock_ticks_per_second(void) { return sysconf(_SC_CLK_TCK); }
long csystem_page_size(void) { return sysconf(_SC_PAGESIZE); }

int csystem_count_directory_entries(const char *path) {
    DIR *dir = opendir(path);
    if (dir == NULL) return -1;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) count++;
    }
    closedir(dir);
    return count;
}

int csystem_count_open_fds(const char *path) {
    struct statfs filesystem;
    struct stat directory;
    const long procfsMagic = 0x9fa0; /* PROC_SUPER_MAGIC */
    if (statfs(path, &filesystem) == 0 && (long)filesystem.f_type == procfsMagic && stat(path, &directory) == 0 &&
        directory.st_size > 0) {
        return (int)directory.st_size;
    }
    return csystem_count_directory_entries(path);
}

int csystem_release_free_memory(void) { return malloc_trim(0); }

void csystem_tune_malloc(void) {
    mallopt(M_ARENA_MAX, 2);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

int csystem_name_this_thread(const char *name) {
    char kept[16];
    strncpy(kept, name, sizeof kept - 1);
    kept[sizeof kept - 1] = 0;
    return pthread_setname_np(pthread_self(), kept);
}

/* On Linux the nice value belongs to the thread: PRIO_PROCESS with a thread id reads its own. */
int csystem_this_threads_nice(void) {
    errno = 0;
    return getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
}

int csystem_set_this_threads_nice(int nice) { return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice); }

long csystem_this_thread_id(void) { return (long)syscall(SYS_gettid); }
