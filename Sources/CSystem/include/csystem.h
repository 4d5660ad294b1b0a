#ifndef CSYSTEM_H
#define CSYSTEM_H
/* Thin wrappers for what Glibc's Swift module hides or imports awkwardly. */
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

int csystem_epoll_create(void);
/* events: EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET as a mask chosen by the helpers below. */
int csystem_epoll_add(int epfd, int fd, uint64_t data);
int csystem_epoll_del(int epfd, int fd);
/* Waits; fills parallel arrays data/flags; returns count, 0 on EINTR, -1 on error. */
int csystem_epoll_wait(int epfd, uint64_t *data, uint32_t *flags, int max, int timeout_ms);
int csystem_eventfd(void);
int csystem_eventfd_signal(int fd);
int csystem_eventfd_drain(int fd);
int csystem_accept4(int fd);
int csystem_socket_nonblocking(int domain, int type);
int csystem_set_nodelay(int fd);
/* TCP_CORK on: what is written next is held back and sent in full segments, the last one with
   the FIN when the socket is shut down. */
int csystem_set_cork(int fd);
/* Segments with data this socket has received (TCP_INFO tcpi_data_segs_in), or -1: tests count
   what crossed the wire. */
long long csystem_tcp_data_segments_in(int fd);
int csystem_set_reuseaddr(int fd);
int csystem_set_v6only(int fd, int on);
int csystem_socket_error(int fd);
/* 1 when a getaddrinfo code means the name has no address (EAI_NONAME, GNU EAI_NODATA,
   EAI_ADDRFAMILY), as opposed to a failed lookup (EAI_AGAIN for SERVFAIL or no answer, EAI_FAIL). */
int csystem_eai_is_no_such_host(int code);
/* 1 when the socket has a peer (getpeername succeeds): a connect really finished. */
int csystem_is_connected(int fd);
/* SO_LINGER {1, 0}: the close that follows sends a TCP reset instead of a FIN. */
int csystem_set_linger_zero(int fd);
/* TCP keepalive: probes after idle_seconds of silence, every interval_seconds, probes of them. */
int csystem_set_keepalive(int fd, int idle_seconds, int interval_seconds, int probes);
/* 1 and the settings when keepalive is on, 0 when it is off. */
int csystem_get_keepalive(int fd, int *idle_seconds, int *interval_seconds, int *probes);
/* Bit tests for epoll_wait flags, so Swift does not need the EPOLL* macros. */
int csystem_flag_readable(uint32_t flags);
int csystem_flag_writable(uint32_t flags);
int csystem_flag_hangup(uint32_t flags);
int csystem_clock_monotonic_ns(uint64_t *out);
int csystem_ignore_sigpipe(void);
/* glibc malloc for a long-running server: two arenas instead of eight per core (the Dispatch
   and Swift pool threads each grab one and fragment it), and big blocks (scrape bodies of
   megabytes) always mmapped so that freeing them gives the memory back to the system. */
void csystem_tune_malloc(void);
/* Entries of a directory but . and ..; -1 when it cannot be opened. Counts /proc/self/fd
   without making a string per descriptor (a probe round holds 512 sockets). */
int csystem_count_directory_entries(const char *path);
/* Open descriptors listed in a procfs fd directory (/proc/self/fd), from its size: Linux 6.2
   and later report the count there (stat, ~2 us), where reading the directory builds an entry
   per descriptor (~300 us with a round's 600 sockets, on every scrape). Falls back to
   csystem_count_directory_entries when the path is not procfs or the kernel reports 0. */
int csystem_count_open_fds(const char *path);
/* malloc_trim(0): gives the pages glibc keeps after a burst of frees back to the system. */
int csystem_release_free_memory(void);
long csystem_clock_ticks_per_second(void);
long csystem_page_size(void);
/* Names the calling thread (at most 15 bytes are kept), as top -H and ps -L show it. */
int csystem_name_this_thread(const char *name);
/* The calling thread's nice value (Linux keeps one per thread; Dispatch sets it by QoS). */
int csystem_this_threads_nice(void);
/* Sets the calling thread's nice value (raising it needs no privilege); 0 or -1 with errno. */
int csystem_set_this_threads_nice(int nice);
/* The calling thread's kernel id, as /proc/self/task lists it. */
long csystem_this_thread_id(void);
#endif
