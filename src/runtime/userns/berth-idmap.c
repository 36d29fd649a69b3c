/*
 * berth-idmap: id-mapped, read-only views of directories (for the lower layers of a container in a
 * user namespace).
 *
 *   berth-idmap <host-uid> <host-gid> <count> <source> <target> [<source> <target> ...]
 *
 * Makes a user namespace whose ids 0..count-1 map to host ids host-uid.. / host-gid.., then for each
 * pair clones the mount at <source> (open_tree), marks the clone id-mapped through that namespace
 * and read-only (mount_setattr), and attaches it at <target>, an existing directory (move_mount).
 * A file owned by id k on disk is then seen below <target> as owned by host id host-uid + k.
 *
 * Exit status 0 when every pair is mounted; otherwise 2 for bad arguments, 3 for a failure to make
 * the namespace, 4 for a failed mount (pairs before the failing one stay mounted; the caller
 * unmounts them), with one line on stderr: "berth-idmap: <step> <path>: <strerror>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* glibc 2.36 has no wrappers for these three: call them by number. */
static int open_tree(int dirfd, const char *path, unsigned int flags) {
  return (int)syscall(SYS_open_tree, dirfd, path, flags);
}
static int mount_setattr(int dirfd, const char *path, unsigned int flags, struct mount_attr *attr, size_t size) {
  return (int)syscall(SYS_mount_setattr, dirfd, path, flags, attr, size);
}
static int move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags) {
  return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
}

static int fail(int status, const char *step, const char *path) {
  fprintf(stderr, "berth-idmap: %s %s: %s\n", step, path, strerror(errno));
  return status;
}

static int parse_id(const char *text, unsigned long *out) {
  char *end = NULL;
  errno = 0;
  unsigned long value = strtoul(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value > UINT_MAX - 1) return -1;
  *out = value;
  return 0;
}

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  int saved = errno;
  close(fd);
  errno = saved;
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * A user namespace with the mapping, as an fd: a child unshares one and waits; this process writes
 * the child's uid_map/gid_map, opens /proc/<child>/ns/user and lets the child exit. The namespace
 * lives on through the fd (and, once mounted, through the id-mapped mounts).
 */
static int make_userns(unsigned long uid, unsigned long gid, unsigned long count) {
  int ready[2], done[2];
  if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0) return fail(-1, "pipe2", "(namespace)");
  pid_t child = fork();
  if (child < 0) return fail(-1, "fork", "(namespace)");
  if (child == 0) {
    /* Reports 0 or unshare's errno, then waits for EOF: the parent closes its end when done. */
    int result = unshare(CLONE_NEWUSER) < 0 ? errno : 0;
    char byte;
    close(ready[0]);
    close(done[1]);
    if (write(ready[1], &result, sizeof result) != (ssize_t)sizeof result) _exit(1);
    while (read(done[0], &byte, 1) > 0) {}
    _exit(0);
  }
  close(ready[1]);
  close(done[0]);
  char path[64], map[96];
  int fd = -1, result = ECHILD;
  if (read(ready[0], &result, sizeof result) != (ssize_t)sizeof result || result != 0) {
    errno = result;
    fail(-1, "unshare", "CLONE_NEWUSER");
    goto out;
  }
  snprintf(map, sizeof map, "0 %lu %lu\n", uid, count);
  snprintf(path, sizeof path, "/proc/%d/uid_map", (int)child);
  if (write_file(path, map) < 0) { fail(-1, "write", path); goto out; }
  snprintf(path, sizeof path, "/proc/%d/setgroups", (int)child);
  if (write_file(path, "deny") < 0) { fail(-1, "write", path); goto out; }
  snprintf(map, sizeof map, "0 %lu %lu\n", gid, count);
  snprintf(path, sizeof path, "/proc/%d/gid_map", (int)child);
  if (write_file(path, map) < 0) { fail(-1, "write", path); goto out; }
  snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(-1, "open", path);
out:
  close(done[1]);
  close(ready[0]);
  waitpid(child, NULL, 0);
  return fd;
}

int main(int argc, char **argv) {
  unsigned long uid, gid, count;
  if (argc < 6 || (argc - 4) % 2 != 0 || parse_id(argv[1], &uid) < 0 || parse_id(argv[2], &gid) < 0 ||
      parse_id(argv[3], &count) < 0 || count == 0) {
    fprintf(stderr, "usage: berth-idmap <host-uid> <host-gid> <count> <source> <target> [<source> <target> ...]\n");
    return 2;
  }
  int userns = make_userns(uid, gid, count);
  if (userns < 0) return 3;
  for (int i = 4; i + 1 < argc; i += 2) {
    const char *source = argv[i], *target = argv[i + 1];
    int tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0) return fail(4, "open_tree", source);
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY, .userns_fd = (unsigned long)userns };
    if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) return fail(4, "mount_setattr", source);
    if (move_mount(tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) return fail(4, "move_mount", target);
    close(tree);
  }
  close(userns);
  return 0;
}
