// A one-node Docker Swarm for side-by-side cluster benchmarks: a private dockerd
// (test/support/private-dockerd.ts) in a network namespace of the benchmark's own with a default
// bridge inside (as each berth node has its own), `swarm init --advertise-addr 127.0.0.1`, and the
// busybox archive loaded. The namespace, the swarm and the daemon go with the benchmark's cleanups.
import { join } from 'node:path';
import { messageOf } from '../src/base/errors.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { PrivateDockerd } from '../test/support/private-dockerd.js';
import type { CleanupStack } from './cleanup-stack.js';

const runner = new ChildProcessRunner();

export interface PrivateSwarmOptions {
  /** The benchmark's base directory (the daemon's files go to `<base>/dockerd`). */
  base: string;
  netns: string;
  bridge: string;
  /** The bridge's address, `172.30.99.1/24`. */
  bridgeAddress: string;
  archive: string;
  cleanups: CleanupStack;
  log: (line: string) => void;
}

export interface PrivateSwarm {
  dockerd: PrivateDockerd;
  /** busybox by image id: Swarm's agent tries a registry pull of any other reference before every task. */
  image: string;
}

export async function startPrivateSwarm(options: PrivateSwarmOptions): Promise<PrivateSwarm> {
  const { netns, bridge, cleanups } = options;
  await runner.run('ip', ['netns', 'del', netns], { okCodes: [0, 1] });
  await runner.run('ip', ['netns', 'add', netns]);
  cleanups.push(async () => { await runner.run('ip', ['netns', 'del', netns], { okCodes: [0, 1] }); });
  await runner.run('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
  await runner.run('ip', ['-n', netns, 'link', 'add', bridge, 'type', 'bridge']);
  await runner.run('ip', ['-n', netns, 'addr', 'add', options.bridgeAddress, 'dev', bridge]);
  await runner.run('ip', ['-n', netns, 'link', 'set', bridge, 'up']);
  const dockerd = await PrivateDockerd.start({ baseDir: join(options.base, 'dockerd'), netns, bridge });
  cleanups.push(async () => {
    await dockerd.docker(['swarm', 'leave', '--force']).catch((err: unknown) => { options.log(`swarm leave: ${messageOf(err)}`); });
    await dockerd.stop();
  });
  await dockerd.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  await dockerd.docker(['load', '-i', options.archive]);
  const image = (await dockerd.docker(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).stdout.trim();
  return { dockerd, image };
}
