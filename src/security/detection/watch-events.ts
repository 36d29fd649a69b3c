/**
 * The lines berth-watch (berth-watch.c) writes, checked at the boundary: what a container's
 * processes did (exec, ptrace, open, write) and the answers to berthd's commands.
 */
import { z } from 'zod';

const containerId = z.string().regex(/^[0-9a-f]{1,128}$/);
const pid = z.int().min(0);

export const execEventSchema = z.object({
  ev: z.literal('exec'), cid: containerId, pid, ppid: pid,
  /** The parent is a process of the same container. */
  parentIn: z.boolean(),
  /** The outermost ancestor still in the container: its init, or a process an exec started. */
  top: pid,
  /** The program's file, as the container sees it (`/memfd:x (deleted)` for a memfd); empty when the process ended before it was read. */
  exe: z.string(),
  argv: z.array(z.string()),
  stdinNet: z.boolean(),
  stdoutNet: z.boolean(),
});
export type ExecEvent = z.infer<typeof execEventSchema>;

export const ptraceEventSchema = z.object({ ev: z.literal('ptrace'), cid: containerId, pid, target: pid, exe: z.string() });
export type PtraceEvent = z.infer<typeof ptraceEventSchema>;

export const fileEventSchema = z.object({ ev: z.literal('open'), cid: containerId, pid, path: z.string(), exe: z.string() });
const writeEventSchema = fileEventSchema.extend({ ev: z.literal('write') });
/** A file of the container's root filesystem opened to be executed (`path`: the program's file). */
const execFileEventSchema = fileEventSchema.extend({ ev: z.literal('execfile') });
export type FileEvent = z.infer<typeof fileEventSchema> | z.infer<typeof writeEventSchema> | z.infer<typeof execFileEventSchema>;

export const watchLineSchema = z.discriminatedUnion('ev', [
  execEventSchema,
  ptraceEventSchema,
  fileEventSchema,
  writeEventSchema,
  execFileEventSchema,
  z.object({ ev: z.literal('ready') }),
  z.object({ ev: z.literal('watched'), cid: z.string() }),
  z.object({ ev: z.literal('unwatched'), cid: z.string() }),
  z.object({ ev: z.literal('error'), cid: z.string(), message: z.string() }),
  z.object({ ev: z.literal('lost'), count: z.int().min(1) }),
]);
export type WatchLine = z.infer<typeof watchLineSchema>;

/** A socket berthd's scan found open in a container's network namespace. */
export interface SocketEvent {
  ev: 'socket';
  cid: string;
  kind: 'raw' | 'packet';
  /** The socket's inode (each is reported once). */
  inode: number;
  /** `icmp`, `ip`, … for raw sockets, the ethertype for packet sockets, as /proc shows it. */
  protocol: string;
}

/** What a container did, as the rules see it. */
export type ActivityEvent = ExecEvent | PtraceEvent | FileEvent | SocketEvent;
