// Comparing Swarm objects with dockerd's, for the e2e fidelity tests: the key paths and JSON
// types of an answer, what dockerd's has that berth's lacks, and the pair of daemons those tests
// run side by side — a berth cluster of one manager (a lab node) and a private dockerd in swarm
// mode in a network namespace of its own.
import { ChildProcessRunner } from '../../src/base/process-runner.js';
import { removeBusyboxTar, TestLab } from './lab.js';
import { PrivateDockerd } from './private-dockerd.js';

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** Every key path of a JSON value with the types found there (`a.b`, `a.list[].c`). */
export function shapeOf(value: unknown, path = '', out = new Map<string, Set<JsonType>>()): Map<string, Set<JsonType>> {
  const type: JsonType = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value as JsonType;
  if (path !== '') out.set(path, (out.get(path) ?? new Set()).add(type));
  if (Array.isArray(value)) for (const item of value) shapeOf(item, `${path}[]`, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) shapeOf(item, path === '' ? key : `${path}.${key}`, out);
  }
  return out;
}

/** dockerd's paths berth lacks (or types it answers differently, null aside), leaving out the known gaps (a path and what is below it). */
export function shapeDifferences(expected: unknown, actual: unknown, gaps: Readonly<Record<string, string>> = {}): string[] {
  const want = shapeOf(expected);
  const have = shapeOf(actual);
  const gap = (path: string): boolean => Object.keys(gaps).some((g) => path === g || path.startsWith(`${g}.`) || path.startsWith(`${g}[]`));
  const out: string[] = [];
  for (const [path, types] of want) {
    if (gap(path)) continue;
    const got = have.get(path);
    if (got === undefined) out.push(`missing ${path}`);
    else if (![...types].filter((t) => t !== 'null').every((t) => got.has(t) || got.has('null'))) out.push(`${path}: ${[...got].join('|')} instead of ${[...types].join('|')}`);
  }
  return out;
}

/** The gaps of an object, for a list of them. */
export function listGaps(gaps: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(gaps).map(([path, why]) => [`[].${path}`, why]));
}

/** The header row of a docker CLI table: its column names. */
export function tableColumns(output: string): string[] {
  return (output.split('\n')[0] ?? '').trim().split(/\s{2,}/);
}

/** A berth cluster of one manager beside a private dockerd in swarm mode. */
export class SwarmPair {
  private constructor(readonly lab: TestLab, readonly dockerd: PrivateDockerd, private readonly netns: string) {}

  /** The sockets by daemon. */
  get sockets(): { dockerd: string; berthd: string } {
    return { dockerd: this.dockerd.socketPath, berthd: this.lab.node(0).socket };
  }

  /** Starts both (busybox loaded on the lab node); `bridgeAddress` is the dockerd namespace's bridge address (`172.30.97.1/24`). */
  static async start(netns: string, bridge: string, bridgeAddress: string): Promise<SwarmPair> {
    const runner = new ChildProcessRunner();
    const lab = await TestLab.start(1, 0);
    let dockerd: PrivateDockerd | undefined;
    try {
      await lab.loadBusybox(lab.node(0));
      await runner.run('ip', ['netns', 'del', netns], { okCodes: [0, 1] });
      await runner.run('ip', ['netns', 'add', netns]);
      await runner.run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
      await runner.run('ip', ['-n', netns, 'link', 'add', bridge, 'type', 'bridge']);
      await runner.run('ip', ['-n', netns, 'addr', 'add', bridgeAddress, 'dev', bridge]);
      await runner.run('ip', ['-n', netns, 'link', 'set', bridge, 'up']);
      dockerd = await PrivateDockerd.start({ netns, bridge });
      await dockerd.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
      return new SwarmPair(lab, dockerd, netns);
    } catch (err) {
      await dockerd?.stop().catch(() => undefined);
      await runner.run('ip', ['netns', 'del', netns], { okCodes: [0, 1] });
      await lab.close();
      throw err;
    }
  }

  /** Leaves the swarm, stops dockerd, removes its namespace, the lab and the busybox archive. */
  async close(): Promise<void> {
    await this.dockerd.docker(['swarm', 'leave', '--force']).catch(() => undefined);
    await this.dockerd.stop();
    await new ChildProcessRunner().run('ip', ['netns', 'del', this.netns], { okCodes: [0, 1] });
    await this.lab.close();
    await removeBusyboxTar();
  }
}
