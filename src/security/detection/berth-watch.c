/*
 * berth-watch: what containers' processes do, as JSON lines on stdout, for berthd's runtime
 * detection (src/security/detection/). No eBPF: it uses
 *   - the process connector (netlink, CN_IDX_PROC) for every exec and ptrace attach on the host,
 *     keeping those of processes in a cgroup below the cgroup parent given as argv[1];
 *   - fanotify, one group per watched container: opens in the directories of chosen paths (inode
 *     marks, so a file made later is seen too), and close-after-write and open-for-execution
 *     anywhere in the container's root filesystem (a mark on its overlay superblock); an open or
 *     write is kept when its path is one of the chosen paths or below one. Open-for-execution is
 *     a permission event: the process waits (microseconds) until berth-watch has read the exec it
 *     made before, so a shell that at once execs its command is still read as the shell; and it
 *     names the executed file even when the process ends before its exec could be read.
 *
 * Usage: berth-watch CGROUP-PARENT. Commands on stdin, one per line, fields split by tabs:
 *   watch ID ROOTFS [R:PATH | W:PREFIX]...   start watching the container's files
 *   unwatch ID                               stop
 * Lines on stdout:
 *   {"ev":"ready"}
 *   {"ev":"exec","cid":ID,"pid":N,"ppid":N,"parentIn":B,"top":N,"exe":S,"argv":[S...],"stdinNet":B,"stdoutNet":B}
 *   {"ev":"ptrace","cid":ID,"pid":TRACER,"target":N,"exe":S}
 *   {"ev":"open"|"write"|"execfile","cid":ID,"pid":N,"path":S,"exe":S}
 *   {"ev":"watched"|"unwatched","cid":ID}     a command's answer (after its error lines, if any)
 *   {"ev":"error","cid":ID,"message":S}         a command that failed (the helper goes on)
 *   {"ev":"lost","count":N}                     lines dropped while berthd did not read (stdout never blocks)
 * `top` is the outermost ancestor still in the container: its init, or the process an exec
 * started. Paths are as the container sees them. Runs as root; exits when stdin closes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MAX_WATCHES 512
#define MAX_RULES 64
#define ID_MAX 128

struct watch {
  char id[ID_MAX];
  char rootfs[4096];
  int fd;
  int nwrites, nreads;
  char *writes[MAX_RULES];
  char *reads[MAX_RULES];
};

static struct watch watches[MAX_WATCHES];
static int nwatches;
static const char *cgroup_parent;
static size_t cgroup_parent_len;

/*
 * Output: berthd reads the lines, but the helper must never wait for it (a held exec waits for the
 * helper), so stdout is non-blocking behind a buffer; an event that does not fit is dropped and
 * counted, and the count is reported ({"ev":"lost","count":N}) once there is room again.
 */
static char out[4 << 20];
static size_t out_len, event_start;
static int overflow;
static unsigned long lost;

static void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void outf(const char *fmt, ...) {
  if (overflow) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out + out_len, sizeof out - out_len, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof out - out_len) overflow = 1;
  else out_len += (size_t)n;
}

static void flush_out(void) {
  while (out_len > 0) {
    ssize_t n = write(1, out, out_len);
    if (n <= 0) return; /* EAGAIN: berthd has not read yet; poll says when it has */
    memmove(out, out + n, out_len - (size_t)n);
    out_len -= (size_t)n;
  }
}

static void event_begin(void) {
  if (lost > 0 && out_len + 64 < sizeof out) {
    outf("{\"ev\":\"lost\",\"count\":%lu}\n", lost);
    lost = 0;
  }
  event_start = out_len;
  overflow = 0;
}

static void event_end(void) {
  if (overflow) {
    out_len = event_start;
    lost++;
    overflow = 0;
  }
  flush_out();
}

static void put_str(const char *s) {
  outf("\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') outf("\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f) outf("\\u%04x", *p);
    else outf("%c", *p);
  }
  outf("\"");
}

static void put_event_head(const char *ev, const char *cid) {
  event_begin();
  outf("{\"ev\":\"%s\",\"cid\":", ev);
  put_str(cid);
}

static void put_error(const char *cid, const char *what) {
  put_event_head("error", cid);
  outf(",\"message\":");
  char text[512];
  snprintf(text, sizeof text, "%s: %s", what, strerror(errno));
  put_str(text);
  outf("}\n");
  event_end();
}

static ssize_t read_file(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t total = 0, n;
  while ((size_t)total < size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0) total += n;
  close(fd);
  buf[total < 0 ? 0 : total] = 0;
  return total;
}

/* The container id of a process: the first path element below the cgroup parent; "" if none. */
static int container_of(int pid, char *id) {
  char path[64], buf[8192];
  id[0] = 0;
  snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
  if (read_file(path, buf, sizeof buf) <= 0) return -1;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    char *at = strchr(line, ':');
    if (at == NULL || (at = strchr(at + 1, ':')) == NULL) continue;
    at++;
    if (strncmp(at, cgroup_parent, cgroup_parent_len) != 0 || at[cgroup_parent_len] != '/') continue;
    at += cgroup_parent_len + 1;
    size_t len = strcspn(at, "/");
    if (len == 0 || len >= ID_MAX) continue;
    memcpy(id, at, len);
    id[len] = 0;
    return 0;
  }
  return 0;
}

static int parent_of(int pid) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  if (read_file(path, buf, sizeof buf) <= 0) return 0;
  char *at = strstr(buf, "\nPPid:");
  return at ? atoi(at + 6) : 0;
}

static void link_of(const char *path, char *out, size_t size) {
  ssize_t n = readlink(path, out, size - 1);
  out[n < 0 ? 0 : n] = 0;
}

/* Whether the process's fd is a TCP or UDP socket (found by inode in its network namespace). */
static int fd_is_inet(int pid, int fd) {
  char path[64], target[128];
  snprintf(path, sizeof path, "/proc/%d/fd/%d", pid, fd);
  link_of(path, target, sizeof target);
  unsigned long inode;
  if (sscanf(target, "socket:[%lu]", &inode) != 1) return 0;
  static const char *tables[] = {"tcp", "tcp6", "udp", "udp6"};
  static char buf[1 << 16];
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
    snprintf(path, sizeof path, "/proc/%d/net/%s", pid, tables[t]);
    if (read_file(path, buf, sizeof buf) <= 0) continue;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
      unsigned long ino = 0;
      if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %lu", &ino) == 1 && ino == inode) return 1;
    }
  }
  return 0;
}

static void put_exe(int pid) {
  char path[64], exe[4096];
  snprintf(path, sizeof path, "/proc/%d/exe", pid);
  link_of(path, exe, sizeof exe);
  outf(",\"exe\":");
  put_str(exe);
}

static void on_exec(int pid) {
  char cid[ID_MAX], other[ID_MAX];
  if (container_of(pid, cid) != 0 || cid[0] == 0) return;
  int ppid = parent_of(pid);
  int top = pid, parent_in = 0;
  for (int depth = 0, p = ppid; p > 1 && depth < 64; depth++) {
    if (container_of(p, other) != 0 || strcmp(other, cid) != 0) break;
    if (depth == 0) parent_in = 1;
    top = p;
    p = parent_of(p);
  }
  put_event_head("exec", cid);
  outf(",\"pid\":%d,\"ppid\":%d,\"parentIn\":%s,\"top\":%d", pid, ppid, parent_in ? "true" : "false", top);
  put_exe(pid);
  char path[64], args[8192];
  snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
  ssize_t n = read_file(path, args, sizeof args);
  outf(",\"argv\":[");
  for (ssize_t at = 0, i = 0; n > 0 && at < n && i < 64; i++) {
    if (i > 0) outf(",");
    put_str(args + at);
    at += (ssize_t)strlen(args + at) + 1;
  }
  outf("],\"stdinNet\":%s,\"stdoutNet\":%s}\n", fd_is_inet(pid, 0) ? "true" : "false", fd_is_inet(pid, 1) ? "true" : "false");
  event_end();
}

static void on_ptrace(int target, int tracer) {
  char cid[ID_MAX];
  if (tracer <= 0) return; /* a detach */
  if (container_of(tracer, cid) != 0 || cid[0] == 0) {
    if (container_of(target, cid) != 0 || cid[0] == 0) return;
  }
  put_event_head("ptrace", cid);
  outf(",\"pid\":%d,\"target\":%d", tracer, target);
  put_exe(tracer);
  outf("}\n");
  event_end();
}

/* Kernels since 6.6 take an event filter with the listen request; older ones only the request. */
static int kernel_filters_events(void) {
  struct utsname u;
  int major = 0, minor = 0;
  if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2) return 0;
  return major > 6 || (major == 6 && minor >= 6);
}

static int open_connector(void) {
  int fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd < 0) return -1;
  struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC, .nl_pid = 0};
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) return -1;
  int size = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
  struct {
    struct nlmsghdr nl;
    struct cn_msg cn;
    struct { uint32_t op; uint32_t events; } input;
  } __attribute__((packed)) msg;
  memset(&msg, 0, sizeof msg);
  size_t input_len = kernel_filters_events() ? sizeof msg.input : sizeof msg.input.op;
  msg.nl.nlmsg_len = sizeof msg.nl + sizeof msg.cn + input_len;
  msg.nl.nlmsg_type = NLMSG_DONE;
  msg.cn.id.idx = CN_IDX_PROC;
  msg.cn.id.val = CN_VAL_PROC;
  msg.cn.len = input_len;
  msg.input.op = PROC_CN_MCAST_LISTEN;
  msg.input.events = PROC_EVENT_EXEC | PROC_EVENT_PTRACE;
  if (send(fd, &msg, msg.nl.nlmsg_len, 0) < 0) return -1;
  return fd;
}

static int connector = -1;

static void read_connector(void) {
  int fd = connector;
  char buf[1 << 15] __attribute__((aligned(NLMSG_ALIGNTO)));
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) return; /* EAGAIN, or ENOBUFS: events were lost, later ones still come */
    for (struct nlmsghdr *nl = (struct nlmsghdr *)buf; NLMSG_OK(nl, (size_t)n); nl = NLMSG_NEXT(nl, n)) {
      struct cn_msg *cn = NLMSG_DATA(nl);
      if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC) continue;
      struct proc_event *ev = (struct proc_event *)cn->data;
      if (ev->what == PROC_EVENT_EXEC) on_exec(ev->event_data.exec.process_pid);
      else if (ev->what == PROC_EVENT_PTRACE) on_ptrace(ev->event_data.ptrace.process_pid, ev->event_data.ptrace.tracer_pid);
    }
  }
}

static int path_below(const char *path, const char *prefix) {
  size_t len = strlen(prefix);
  if (len == 1 && prefix[0] == '/') return 1;
  return strncmp(path, prefix, len) == 0 && (path[len] == 0 || path[len] == '/');
}

/* One fanotify event: its line, when it is the container's and its path is watched. */
static void on_file_event(struct watch *w, const struct fanotify_event_metadata *m) {
  char link[64], path[4096], cid[ID_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", m->fd);
  link_of(link, path, sizeof path);
  /* berthd's own reads and writes through the host's path (cp, commit, diff) are not the container's. */
  if (path_below(path, w->rootfs)) return;
  if (container_of(m->pid, cid) == 0 && cid[0] != 0 && strcmp(cid, w->id) != 0) return;
  int is_write = (m->mask & FAN_CLOSE_WRITE) != 0, is_exec = (m->mask & FAN_OPEN_EXEC_PERM) != 0;
  int kept = is_exec;
  for (int i = 0; i < (is_write ? w->nwrites : w->nreads) && !kept; i++) kept = path_below(path, is_write ? w->writes[i] : w->reads[i]);
  if (!kept) return;
  put_event_head(is_exec ? "execfile" : is_write ? "write" : "open", w->id);
  outf(",\"pid\":%d,\"path\":", m->pid);
  put_str(path);
  put_exe(m->pid);
  outf("}\n");
  event_end();
}

static void read_fanotify(struct watch *w) {
  char buf[1 << 14] __attribute__((aligned(8)));
  for (;;) {
    ssize_t n = read(w->fd, buf, sizeof buf);
    if (n <= 0) return;
    for (struct fanotify_event_metadata *m = (struct fanotify_event_metadata *)buf; FAN_EVENT_OK(m, n); m = FAN_EVENT_NEXT(m, n)) {
      if (m->fd < 0) continue;
      if (m->mask & FAN_OPEN_EXEC_PERM) {
        /*
         * A process about to exec is held until answered: the exec it made before (a shell that
         * is now exec'ing its command) is read first, while the process still shows it; then it
         * goes on at once.
         */
        read_connector();
        struct fanotify_response allow = {.fd = m->fd, .response = FAN_ALLOW};
        if (write(w->fd, &allow, sizeof allow) != sizeof allow) put_error(w->id, "fanotify answer");
        on_file_event(w, m); /* the executed file's path comes from the event's descriptor, not the process */
      } else {
        on_file_event(w, m);
      }
      close(m->fd);
    }
  }
}

static void unwatch(const char *id) {
  for (int i = 0; i < nwatches; i++) {
    if (strcmp(watches[i].id, id) != 0) continue;
    close(watches[i].fd);
    for (int j = 0; j < watches[i].nwrites; j++) free(watches[i].writes[j]);
    for (int j = 0; j < watches[i].nreads; j++) free(watches[i].reads[j]);
    watches[i] = watches[--nwatches];
    break;
  }
  put_event_head("unwatched", id);
  outf("}\n");
  event_end();
}

/* Marks one file or directory of the container for opens (of it, or of its entries), resolved inside its root (a symlink cannot lead out). */
static int mark_opens(int group, int root, const char *path) {
  struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
  int fd = (int)syscall(SYS_openat2, root, path[0] == '/' ? path + 1 : path, &how, sizeof how);
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  int rc = fanotify_mark(group, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD, AT_FDCWD, proc);
  close(fd);
  return rc;
}

/* A path to watch for opens: its directory (so a file made later is seen too) and, for a directory, itself. */
static int mark_read(int group, int root, const char *path) {
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", path);
  char *slash = strrchr(parent, '/');
  if (slash != NULL) slash[slash == parent ? 1 : 0] = 0;
  if (mark_opens(group, root, parent) != 0) return -1;
  return strcmp(parent, path) == 0 ? 0 : mark_opens(group, root, path);
}

/* The answer to every watch command, after any error lines: berthd waits for it before the container runs. */
static void answer_watched(const char *id) {
  put_event_head("watched", id);
  outf("}\n");
  event_end();
}

static void watch(char **fields, int nfields) {
  const char *id = fields[1];
  for (int i = 0; i < nwatches; i++) if (strcmp(watches[i].id, id) == 0) { answer_watched(id); return; }
  if (nwatches == MAX_WATCHES || strlen(id) >= ID_MAX || strlen(fields[2]) >= sizeof watches[0].rootfs) { errno = ENOSPC; put_error(id, "watch"); answer_watched(id); return; }
  struct watch *w = &watches[nwatches];
  memset(w, 0, sizeof *w);
  strcpy(w->id, id);
  strcpy(w->rootfs, fields[2]);
  w->fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_LARGEFILE | O_CLOEXEC);
  if (w->fd < 0) { put_error(id, "fanotify_init"); answer_watched(id); return; }
  int root = open(w->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) { put_error(id, w->rootfs); close(w->fd); answer_watched(id); return; }
  for (int i = 3; i < nfields; i++) {
    if (strncmp(fields[i], "R:", 2) == 0 && w->nreads < MAX_RULES) {
      w->reads[w->nreads++] = strdup(fields[i] + 2);
      if (mark_read(w->fd, root, fields[i] + 2) != 0) put_error(id, fields[i] + 2);
    } else if (strncmp(fields[i], "W:", 2) == 0 && w->nwrites < MAX_RULES) {
      w->writes[w->nwrites++] = strdup(fields[i] + 2);
    }
  }
  close(root);
  uint64_t mask = FAN_OPEN_EXEC_PERM | (w->nwrites > 0 ? FAN_CLOSE_WRITE : 0);
  if (fanotify_mark(w->fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, AT_FDCWD, w->rootfs) != 0) {
    put_error(id, "fanotify_mark (filesystem)");
  }
  nwatches++;
  answer_watched(id);
}

static char line[1 << 16];
static size_t line_len;

/* Reads stdin; returns 0 once it is closed. */
static int read_commands(void) {
  ssize_t n = read(0, line + line_len, sizeof line - 1 - line_len);
  if (n <= 0) return n < 0 && errno == EINTR;
  line_len += (size_t)n;
  char *end;
  while ((end = memchr(line, '\n', line_len)) != NULL) {
    *end = 0;
    char *fields[MAX_RULES + 3];
    int nfields = 0;
    for (char *f = strtok(line, "\t"); f && nfields < MAX_RULES + 3; f = strtok(NULL, "\t")) fields[nfields++] = f;
    if (nfields >= 3 && strcmp(fields[0], "watch") == 0) watch(fields, nfields);
    else if (nfields == 2 && strcmp(fields[0], "unwatch") == 0) unwatch(fields[1]);
    size_t used = (size_t)(end - line) + 1;
    memmove(line, end + 1, line_len - used);
    line_len -= used;
  }
  if (line_len == sizeof line - 1) line_len = 0; /* an overlong line is dropped */
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2 || argv[1][0] != '/') {
    fprintf(stderr, "usage: berth-watch CGROUP-PARENT (absolute, e.g. /berth)\n");
    return 2;
  }
  cgroup_parent = argv[1];
  cgroup_parent_len = strlen(cgroup_parent);
  while (cgroup_parent_len > 1 && cgroup_parent[cgroup_parent_len - 1] == '/') cgroup_parent_len--;
  connector = open_connector();
  if (connector < 0) {
    perror("berth-watch: process connector");
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
  event_begin();
  outf("{\"ev\":\"ready\"}\n");
  event_end();
  for (;;) {
    struct pollfd fds[MAX_WATCHES + 3];
    fds[0] = (struct pollfd){.fd = 0, .events = POLLIN};
    fds[1] = (struct pollfd){.fd = connector, .events = POLLIN};
    fds[2] = (struct pollfd){.fd = out_len > 0 ? 1 : -1, .events = POLLOUT};
    for (int i = 0; i < nwatches; i++) fds[i + 3] = (struct pollfd){.fd = watches[i].fd, .events = POLLIN};
    int count = nwatches + 3;
    if (poll(fds, (nfds_t)count, -1) < 0) {
      if (errno == EINTR) continue;
      perror("berth-watch: poll");
      return 1;
    }
    if (fds[2].revents & (POLLERR | POLLHUP)) return 0; /* berthd is gone */
    if (fds[2].revents) flush_out();
    if (fds[1].revents) read_connector();
    for (int i = count - 1; i >= 3; i--) if (fds[i].revents && i - 3 < nwatches) read_fanotify(&watches[i - 3]);
    if (fds[0].revents && !read_commands()) return 0;
  }
}
