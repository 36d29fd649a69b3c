/**
 * Which rules an event of a container's activity matches: every condition of a rule must hold.
 * Pure; what needs the file system (whether an executed file is in the image) comes in as a fact.
 */
import { posix } from 'node:path';
import type { DetectionRule } from './detection-rules.js';
import type { ActivityEvent, ExecEvent } from './watch-events.js';

/** What the rules need to know of the container an event came from. */
export interface ContainerFacts {
  /** Its image as created (`busybox`, `registry:5000/app:1`). */
  image: string;
  /** Host pid of its first process. */
  initPid: number;
  /** Its first process is berth's init (`run --init`), which starts the workload as its child. */
  usesInit: boolean;
}

/** Facts found on the file system for an executed file. */
export interface ExecFacts {
  /** The executed file is not in the image's layers: it is in the container's writable layer. */
  notInImage: boolean;
}

const isBelow = (path: string, top: string): boolean => top === '/' || path === top || path.startsWith(`${top}/`);

/** The names a program goes by: its file's and its argv[0]'s (busybox's applets share one file). */
export function programNames(event: ExecEvent): string[] {
  const names = [posix.basename(event.exe.replace(/ \(deleted\)$/, ''))];
  const first = event.argv[0];
  if (first !== undefined && first !== '') names.push(posix.basename(first).replace(/^-/, ''));
  return names;
}

/** Started by the container's own processes: below its workload, not below a process an exec started. */
export function spawnedByWorkload(event: ExecEvent, container: ContainerFacts): boolean {
  if (!event.parentIn || event.top !== container.initPid) return false;
  // Under berth's init the workload itself is init's child: it is the container's entry, not spawned.
  return !(container.usesInit && event.ppid === container.initPid);
}

function execMatches(rule: DetectionRule, event: ExecEvent, container: ContainerFacts): boolean {
  if (rule.not_in_image === true) return false; // judged on the executed file (execfile)
  if (rule.programs !== undefined) {
    const names = programNames(event);
    if (!rule.programs.some((name) => names.includes(name))) return false;
  }
  if (rule.exe_prefixes !== undefined && !rule.exe_prefixes.some((prefix) => event.exe.startsWith(prefix))) return false;
  if (rule.spawned_by_workload === true && !spawnedByWorkload(event, container)) return false;
  return rule.stdio_network !== true || (event.stdinNet && event.stdoutNet);
}

/** The rules `event` matches, in the rules' order. */
export function matchingRules(rules: readonly DetectionRule[], event: ActivityEvent, container: ContainerFacts, facts: ExecFacts = { notInImage: false }): DetectionRule[] {
  return rules.filter((rule) => {
    if (rule.on !== (event.ev === 'execfile' ? 'exec' : event.ev)) return false;
    if (rule.exceptImages.some((pattern) => pattern.test(container.image))) return false;
    switch (event.ev) {
      case 'exec': return execMatches(rule, event, container);
      case 'execfile': return rule.not_in_image === true && facts.notInImage && (rule.programs?.includes(posix.basename(event.path)) ?? true);
      case 'open':
      case 'write': return rule.paths === undefined || rule.paths.some((top) => isBelow(event.path, top));
      case 'socket': return rule.socket_kinds === undefined || rule.socket_kinds.includes(event.kind);
      case 'ptrace': return true;
    }
  });
}

/** Whether any rule needs to know if executed files are in the image (the check reads the writable layer). */
export function needsImageCheck(rules: readonly DetectionRule[]): boolean {
  return rules.some((rule) => rule.not_in_image === true);
}
