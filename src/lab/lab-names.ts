/**
 * The names of everything a lab makes, derived from the lab's name alone (pure), so that `down`
 * finds a lab's objects even when its state file was never written (a crashed `up`).
 *
 * Interface names are limited to 15 bytes, so the bridge and the host ends of the veths carry a
 * digest of the lab name (`bl-<h8>`, `bl-<h8>-<i>`) and the lab name itself in their alias
 * (`berth-lab:<name>`); namespaces, cgroups and directories carry the name itself.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { errors } from '../base/errors.js';

/** `manager` or `worker`: for now only the intended role (the cluster's init/join come later). */
export type LabRole = 'manager' | 'worker';

/** A lab name: lower-case letters, digits and inner dashes, at most 32 characters. */
const LAB_NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** A node's short name inside its lab: `m<i>` for managers, `w<i>` for workers (1-based). */
const NODE_NAME = /^[mw][1-9]\d*$/;

/** The most nodes a lab may have (veth names keep a 3-digit index). */
export const MAX_LAB_NODES = 64;

/** Throws invalid-argument (`invalid-lab-name`) naming the rule when `name` is not a lab name. */
export function assertLabName(name: string): void {
  if (!LAB_NAME.test(name)) {
    throw errors.invalidArgument('invalid-lab-name', `lab name ${JSON.stringify(name)}: want 1-32 lower-case letters, digits or inner dashes`);
  }
}

/** The short names and roles of a lab's nodes: managers m1…mN, then workers w1…wM. */
export function nodeNames(managers: number, workers: number): { node: string; role: LabRole }[] {
  for (const [flag, count] of [['managers', managers], ['workers', workers]] as const) {
    if (!Number.isSafeInteger(count) || count < 0) throw errors.invalidArgument('invalid-node-count', `${flag}: ${count} is not a count of nodes`);
  }
  if (managers + workers === 0) throw errors.invalidArgument('invalid-node-count', 'a lab needs at least one node (managers + workers > 0)');
  if (managers + workers > MAX_LAB_NODES) throw errors.invalidArgument('invalid-node-count', `managers + workers: at most ${MAX_LAB_NODES} nodes in one lab`);
  return [
    ...Array.from({ length: managers }, (_, i) => ({ node: `m${i + 1}`, role: 'manager' as const })),
    ...Array.from({ length: workers }, (_, i) => ({ node: `w${i + 1}`, role: 'worker' as const })),
  ];
}

/** Whether `node` is a node short name (`m1`, `w12`). */
export function isNodeName(node: string): boolean {
  return NODE_NAME.test(node);
}

/** The names of one lab's objects. */
export class LabNames {
  /** The first 8 hex digits of the name's SHA-256, for interface names. */
  readonly digest: string;

  constructor(readonly lab: string, readonly home: string) {
    assertLabName(lab);
    this.digest = createHash('sha256').update(lab).digest('hex').slice(0, 8);
  }

  /** The lab's directory: its state file, and one directory per node. */
  get dir(): string {
    return join(this.home, this.lab);
  }

  get stateFile(): string {
    return join(this.dir, 'lab.json');
  }

  get bridge(): string {
    return `bl-${this.digest}`;
  }

  /** The alias of the lab's bridge and veths: how a reader tells whose they are. */
  get alias(): string {
    return `berth-lab:${this.lab}`;
  }

  /** The top cgroup of the lab's containers; each node's berthd uses `<top>/<node>`. */
  get cgroupTop(): string {
    return `/berth-lab-${this.lab}`;
  }

  /** The prefix of the lab's network namespace names (`berth-lab-<name>-<node>`). */
  get netnsPrefix(): string {
    return `berth-lab-${this.lab}-`;
  }

  /** Whether a namespace name (from `ip netns list`) is one of this lab's. */
  ownsNetns(netns: string): boolean {
    return netns.startsWith(this.netnsPrefix) && isNodeName(netns.slice(this.netnsPrefix.length));
  }

  /** The names of node `node` (its short name) with index `index` (0-based, its place in the lab). */
  node(node: string, index: number): LabNodeNames {
    const dir = join(this.dir, node);
    return {
      node,
      hostname: `${this.lab}-${node}`,
      netns: `${this.netnsPrefix}${node}`,
      veth: `${this.bridge}-${index}`,
      dir,
      root: join(dir, 'root'),
      socket: join(dir, 'berth.sock'),
      log: join(dir, 'berthd.log'),
      cgroupParent: `${this.cgroupTop}/${node}`,
    };
  }
}

/** Where one node's things are. */
export interface LabNodeNames {
  node: string;
  /** `<lab>-<node>`: the name a reader (and later the cluster) knows the node by. */
  hostname: string;
  netns: string;
  /** The host end of the node's veth pair; the other end is `eth0` in the node's namespace. */
  veth: string;
  dir: string;
  /** The node's berthd state root. */
  root: string;
  socket: string;
  /** berthd's stdout and stderr. */
  log: string;
  cgroupParent: string;
}
