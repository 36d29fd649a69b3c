/*
 * berth-peercred: the credentials of the peers of unix sockets that another process holds.
 *
 *   berth-peercred <pid> <fd>       one socket: prints "<uid> <gid> <pid>\n"
 *   berth-peercred --serve <pid>    reads one descriptor number per line on stdin and answers each
 *                                   with a line "<uid> <gid> <pid>" or "error <step>: <strerror>",
 *                                   in order, until stdin ends
 *
 * For each descriptor <fd> of process <pid> it takes a copy (pidfd_open + pidfd_getfd; the caller
 * is that process's child, or has CAP_SYS_PTRACE over it) and reads its SO_PEERCRED: who
 * connected, as the kernel recorded it at connect(2).
 *
 * Exit status 0 on success; 2 for bad arguments, 3 when the process or descriptor cannot be
 * taken, 4 when it is not a connected unix socket (then the line on stdout is the error).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static long parse(const char *text) {
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || (*end != '\0' && *end != '\n') || value < 0 || value > 0x7fffffff) return -1;
  return value;
}

/* Writes the answer for descriptor fd of the process behind pidfd to out; returns 0, 3 or 4. */
static int answer(int pidfd, long fd, FILE *out) {
  /* glibc 2.36 has no wrapper for pidfd_getfd: call it by number. */
  int sock = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
  if (sock < 0) {
    fprintf(out, "error pidfd_getfd: %s\n", strerror(errno));
    return 3;
  }
  struct ucred cred;
  socklen_t length = sizeof cred;
  int status = getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &length);
  int saved = errno;
  close(sock);
  if (status != 0) {
    fprintf(out, "error SO_PEERCRED: %s\n", strerror(saved));
    return 4;
  }
  fprintf(out, "%u %u %d\n", (unsigned)cred.uid, (unsigned)cred.gid, (int)cred.pid);
  return 0;
}

int main(int argc, char **argv) {
  int serve = argc == 3 && strcmp(argv[1], "--serve") == 0;
  if (argc != 3) {
    fprintf(stderr, "usage: berth-peercred <pid> <fd> | berth-peercred --serve <pid>\n");
    return 2;
  }
  long pid = parse(argv[serve ? 2 : 1]);
  if (pid <= 0) {
    fprintf(stderr, "berth-peercred: bad pid\n");
    return 2;
  }
  int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
  if (pidfd < 0) {
    fprintf(stderr, "berth-peercred: pidfd_open: %s\n", strerror(errno));
    return 3;
  }
  if (!serve) {
    long fd = parse(argv[2]);
    if (fd < 0) {
      fprintf(stderr, "berth-peercred: bad fd\n");
      return 2;
    }
    int status = answer(pidfd, fd, stdout);
    return status;
  }
  char line[64];
  while (fgets(line, sizeof line, stdin) != NULL) {
    long fd = parse(line);
    if (fd < 0) fprintf(stdout, "error bad descriptor\n");
    else answer(pidfd, fd, stdout);
    fflush(stdout);
  }
  return 0;
}
