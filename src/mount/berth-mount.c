/*
 * berth-mount: mount(2) and umount(2) for berthd without starting a process for each.
 *
 *   berth-mount --serve    reads one request per line on stdin and answers each, in order, with a
 *                          line "ok" or "error <errno> <strerror>", until stdin ends
 *
 * Requests (fields separated by one tab; no field holds a tab or a newline):
 *   mount <type> <source> <target> <data> <cwd>   mount(source, target, type, 0, data) run in
 *                                                 directory cwd (relative paths in data, such as
 *                                                 overlay lowerdirs, are relative to it)
 *   umount <target>                               umount2(target, 0)
 * Only file-system data goes in <data>: the caller sends here no mount that needs flags (ro,
 * bind, nosuid…). A malformed request is answered "error 22 <what is wrong>" (EINVAL).
 * Exit status 0 when stdin ends, 2 for bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define MAX_FIELDS 6

/* Splits line (its newline removed) at tabs into at most MAX_FIELDS fields; returns their count. */
static int split(char *line, char **fields) {
  int count = 0;
  char *rest = line;
  while (count < MAX_FIELDS) {
    fields[count++] = rest;
    char *tab = strchr(rest, '\t');
    if (tab == NULL) return count;
    *tab = '\0';
    rest = tab + 1;
  }
  return MAX_FIELDS + 1; /* too many */
}

static void answer(int status, int error) {
  if (status == 0) fputs("ok\n", stdout);
  else printf("error %d %s\n", error, strerror(error));
  fflush(stdout);
}

static void serve_mount(char **f) {
  if (f[5][0] != '/' || chdir(f[5]) != 0) {
    answer(-1, f[5][0] != '/' ? EINVAL : errno);
    return;
  }
  int status = mount(f[2], f[3], f[1], 0, f[4]);
  int saved = errno;
  if (chdir("/") != 0) {
    /* "/" is always there; should it vanish, stop rather than resolve paths from elsewhere. */
    exit(1);
  }
  answer(status, saved);
}

int main(int argc, char **argv) {
  if (argc != 2 || strcmp(argv[1], "--serve") != 0) {
    fprintf(stderr, "usage: berth-mount --serve\n");
    return 2;
  }
  if (chdir("/") != 0) return 1;
  char *line = NULL;
  size_t size = 0;
  ssize_t length;
  while ((length = getline(&line, &size, stdin)) > 0) {
    if (line[length - 1] == '\n') line[--length] = '\0';
    if (strlen(line) != (size_t)length) { /* a NUL inside the line */
      printf("error %d request holds a NUL byte\n", EINVAL);
      fflush(stdout);
      continue;
    }
    char *f[MAX_FIELDS];
    int count = split(line, f);
    if (count == 6 && strcmp(f[0], "mount") == 0) {
      serve_mount(f);
    } else if (count == 2 && strcmp(f[0], "umount") == 0) {
      int status = umount2(f[1], 0);
      answer(status, errno);
    } else {
      printf("error %d unknown request (want mount with 5 fields or umount with 1)\n", EINVAL);
      fflush(stdout);
    }
  }
  free(line);
  return 0;
}
