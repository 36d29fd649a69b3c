/**
 * The lab: many berthd nodes on one machine, each in its own network namespace with its own
 * state root, socket, cgroup parent and address on the lab's bridge (DESIGN §5).
 *
 * Lifecycle: `upLab` makes a lab (and on any failure removes what it made, then throws);
 * `labStatus` reads it from any process; `downLab` removes everything it made, also what a
 * crashed `up` or a killed test left. Labs of different names never touch each other's objects.
 * Two calls on the SAME lab at once are not safe (the caller serialises them); different labs are.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { errors, messageOf } from '../base/errors.js';
import { componentLogger, warnUnlessErrno } from '../base/logger.js';
import { isProcessAlive } from '../base/process-alive.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { DEFAULT_BERTHD, pingSocket, spawnBerthd, waitReady } from './berthd-launcher.js';
import { LabNames, nodeNames, type LabRole } from './lab-names.js';
import { LabNetwork } from './lab-network.js';
import { readLabState, writeLabState, type LabState } from './lab-state.js';
import { chooseLabSubnet } from './lab-subnet.js';
import { formLabCluster } from './lab-cluster.js';
import { tearDownLab } from './lab-teardown.js';

const log = componentLogger('lab');

/** A node's log for the error of a node that did not come up; '' when there is none (ENOENT: berthd wrote nothing). */
async function nodeLog(path: string): Promise<string> {
  return (await readFile(path, 'utf8').catch(warnUnlessErrno(['ENOENT'], log, 'reading a node\'s log', { path }))) ?? '';
}

/** Where labs live unless told otherwise: `<home>/<name>/`. */
export const DEFAULT_LAB_HOME = '/var/lib/berth-labs';
export const DEFAULT_LAB_NAME = 'berth';

export interface LabUpOptions {
  name: string;
  managers: number;
  workers: number;
  /** The directory holding labs (default DEFAULT_LAB_HOME); the lab's is `<root>/<name>`. */
  root?: string;
  /** The bridge's subnet (CIDR); default: the first free /24 of 10.250.0.0/16. */
  subnet?: string;
  /** bin/berthd.js to run (default: this repository's). */
  berthd?: string;
  /** How long each berthd gets to answer `/_ping` (default 60 s). */
  readyDeadlineMs?: number;
}

export interface LabRef {
  name: string;
  root?: string;
}

/** One node as `status` shows it. */
export interface LabNodeStatus {
  name: string;
  role: LabRole;
  address: string;
  socket: string;
  netns: string;
  /** The host end of the node's link to the bridge (down: the node is cut off). */
  veth: string;
  root: string;
  pid: number | undefined;
  /** running: berthd answers; stopped: its process is gone; unresponsive: it runs but does not answer. */
  state: 'running' | 'stopped' | 'unresponsive';
}

export interface LabStatus {
  name: string;
  dir: string;
  bridge: string;
  subnet: string;
  hostAddress: string;
  phase: LabState['phase'];
  nodes: LabNodeStatus[];
}

function namesOf(ref: LabRef): LabNames {
  return new LabNames(ref.name, ref.root ?? DEFAULT_LAB_HOME);
}

/**
 * Starts a lab and returns its status once every node's berthd answers and the nodes form one
 * cluster (the first manager inits it; the others join). Throws invalid-argument
 * for a bad name, count or subnet; already-exists when a lab of that name is there (`down` it
 * first); conflict when the requested subnet is routed already; unavailable (with the node's log)
 * when a berthd does not come up. On failure nothing of the lab is left.
 */
export async function upLab(runner: ProcessRunner, options: LabUpOptions): Promise<LabStatus> {
  const names = namesOf(options);
  const planned = nodeNames(options.managers, options.workers);
  if (process.getuid?.() !== 0) throw errors.failedPrecondition('lab-needs-root', 'a lab makes network namespaces, bridges and cgroups: run as root');
  const network = new LabNetwork(runner, names);
  if ((await readLabState(names.stateFile)) !== undefined || (await network.listNetns()).length > 0) {
    throw errors.alreadyExists('lab-exists', `lab ${names.lab} exists (or left things behind): run berth lab down --name ${names.lab} first`);
  }
  const subnet = chooseLabSubnet(planned.length, await network.routeDestinations(), options.subnet);
  const state: LabState = {
    version: 1, name: names.lab, dir: names.dir, bridge: names.bridge, subnet: subnet.subnet, hostAddress: subnet.hostAddress,
    cgroupTop: names.cgroupTop, createdAt: new Date().toISOString(), phase: 'starting',
    nodes: planned.map(({ node, role }, index) => {
      const n = names.node(node, index);
      return { node, hostname: n.hostname, role, address: subnet.nodeAddresses[index] ?? '', netns: n.netns, veth: n.veth, root: n.root, socket: n.socket, log: n.log, cgroupParent: n.cgroupParent };
    }),
  };
  try {
    await mkdir(names.dir, { recursive: true, mode: 0o711 });
    await writeLabState(names.stateFile, state);
    await network.createBridge(`${subnet.hostAddress}/${subnet.prefix}`);
    const rivals = await network.otherDevicesRouting(subnet.subnet);
    if (rivals.length > 0) throw errors.conflict('lab-subnet-in-use', `subnet ${subnet.subnet}: ${rivals.join(', ')} took it meanwhile; run up again`);
    const berthd = options.berthd ?? DEFAULT_BERTHD;
    for (const [index, node] of state.nodes.entries()) {
      const n = names.node(node.node, index);
      await mkdir(n.root, { recursive: true, mode: 0o711 });
      await network.createNode(n, `${node.address}/${subnet.prefix}`);
      node.pid = await spawnBerthd(n, berthd);
      await writeLabState(names.stateFile, state);
    }
    await Promise.all(state.nodes.map((node, index) => waitReady(names.node(node.node, index), node.pid ?? 0, options.readyDeadlineMs ?? 60_000, () => nodeLog(node.log))));
    await formLabCluster(state.nodes).catch((err: unknown) => {
      throw errors.unavailable('lab-cluster-failed', `the lab's nodes could not form a cluster: ${messageOf(err)} (node logs: ${names.dir})`, { cause: err });
    });
    state.phase = 'up';
    await writeLabState(names.stateFile, state);
  } catch (err) {
    await tearDownLab(runner, names, network, state).catch((cleanup: unknown) => {
      process.stderr.write(`berth lab: removing what the failed up made failed too: ${messageOf(cleanup)}\n`);
    });
    throw err;
  }
  return statusOf(state);
}

/**
 * Starts a node's berthd again after it stopped (a crash, a kill, a machine brought back): it
 * resumes its cluster membership by itself. not-found for an unknown lab or node; conflict
 * (`lab-node-running`) when its berthd still runs; unavailable when it does not come up.
 */
export async function startLabNode(ref: LabRef, nodeName: string, options: { berthd?: string; readyDeadlineMs?: number } = {}): Promise<LabNodeStatus> {
  const names = namesOf(ref);
  const state = await readLabState(names.stateFile);
  if (state === undefined) throw errors.notFound('no-such-lab', `no lab named ${names.lab} in ${names.home}`);
  const index = state.nodes.findIndex((node) => node.hostname === nodeName || node.node === nodeName);
  const node = state.nodes[index];
  if (node === undefined) throw errors.notFound('no-such-lab-node', `lab ${names.lab} has no node ${nodeName}`);
  if (node.pid !== undefined && isProcessAlive(node.pid)) throw errors.conflict('lab-node-running', `${node.hostname}: berthd runs (pid ${node.pid})`);
  const n = names.node(node.node, index);
  node.pid = await spawnBerthd(n, options.berthd ?? DEFAULT_BERTHD);
  await writeLabState(names.stateFile, state);
  await waitReady(n, node.pid, options.readyDeadlineMs ?? 60_000, () => nodeLog(node.log));
  const status = (await statusOf(state)).nodes[index];
  if (status === undefined) throw errors.internal('lab-state-changed', `${node.hostname}: not in the lab's state any more`);
  return status;
}

/** The lab's status; not-found when there is no lab of that name. */
export async function labStatus(ref: LabRef): Promise<LabStatus> {
  const names = namesOf(ref);
  const state = await readLabState(names.stateFile);
  if (state === undefined) throw errors.notFound('no-such-lab', `no lab named ${names.lab} in ${names.home}`);
  return statusOf(state);
}

async function statusOf(state: LabState): Promise<LabStatus> {
  const nodes = await Promise.all(state.nodes.map(async (node): Promise<LabNodeStatus> => {
    const alive = node.pid !== undefined && isProcessAlive(node.pid);
    const answers = alive && await pingSocket(node.socket);
    return {
      name: node.hostname, role: node.role, address: node.address, socket: node.socket, netns: node.netns, veth: node.veth, root: node.root, pid: node.pid,
      state: answers ? 'running' : alive ? 'unresponsive' : 'stopped',
    };
  }));
  return { name: state.name, dir: state.dir, bridge: state.bridge, subnet: state.subnet, hostAddress: state.hostAddress, phase: state.phase, nodes };
}

/**
 * Removes everything the lab made (see lab-teardown.ts); returns false when there was nothing to
 * remove. Works on a lab whose `up` crashed or whose processes were killed. Throws internal when
 * something could not be removed (a later `down` retries it).
 */
export async function downLab(runner: ProcessRunner, ref: LabRef): Promise<boolean> {
  const names = namesOf(ref);
  const network = new LabNetwork(runner, names);
  // A corrupt state file must not keep a lab alive: without it, the names find everything
  // (berthd included, through the processes in the lab's namespaces).
  const state = await readLabState(names.stateFile).catch((err: unknown) => {
    log.warn('reading the lab\'s state failed: torn down by its names instead', { err, path: names.stateFile });
    return undefined;
  });
  const found = state !== undefined || (await network.listNetns()).length > 0 || (await runner.run('ip', ['link', 'show', 'dev', names.bridge]).then(() => true, () => false));
  await tearDownLab(runner, names, network, state);
  return found;
}
