// The node of the access-overhead benchmark (bench/access-overhead.ts starts it; needs root):
// one state root composed as berthd composes it (daemon/berthd.ts: the access settings and audit
// trail of api-access.ts, the image node, the node's services with runc, the API server), with
// busybox bootstrapped, served on two sockets by this one process over the one engine:
//   <dir>/off.sock  the API without access control (startApiServer without `access`);
//   <dir>/on.sock   the API as berthd serves it: every request identified (bearer token, or the
//                   socket peer's uid through berth-peercred) and authorized; the audit trail in
//                   <root>/audit, each record fsynced before the request goes on.
// Both sockets are root's only. berthd's request log is left out of both. Once both listen it
// prints one JSON line on stdout: the two sockets and an operator token for `on.sock`. SIGTERM
// closes both servers and the node.
// Run by access-overhead.ts: node dist/bench/access-overhead-node.js <dir> <cgroup parent>
import { join } from 'node:path';
import { systemClock } from '../src/base/clock.js';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { untilStopSignal } from '../src/base/stop-signal.js';
import { MountHelperRunner } from '../src/mount/mount-helper-runner.js';
import { openDaemonAccess } from '../src/daemon/api-access.js';
import { openImageNode } from '../src/daemon/image-node.js';
import { openNodeServices } from '../src/daemon/node-services.js';
import { startApiServer } from '../src/api/server.js';

/** What the node prints once it serves. */
export interface AccessNodeReady {
  off: string;
  on: string;
  /** An operator token (create, start, wait, delete containers; no exec, no host options). */
  token: string;
}

const log = (line: string): void => { process.stderr.write(`access-overhead-node: ${line}\n`); };

async function main(): Promise<void> {
  const [dir, cgroupParent] = process.argv.slice(2);
  if (dir === undefined || cgroupParent === undefined) throw new Error('usage: access-overhead-node.js <dir> <cgroup parent>');
  const root = join(dir, 'root');
  const runner = new MountHelperRunner(new ChildProcessRunner());
  const clock = systemClock;
  // A group that does not exist: both sockets stay root's (mode 0660, group root), as berthd's without its group.
  const daemonAccess = await openDaemonAccess({ group: 'berth-bench-no-group', socketRole: 'admin' }, root, { runner, clock, log });
  const images = await openImageNode(root, { runner, clock });
  const { containers, volumes, networks } = await openNodeServices(images, { runner, clock, cgroupParent, defaultRuntime: 'runc' });
  try {
    await images.bootstrap('busybox');
    const services = { images, containers, volumes, networks, runner };
    const off = await startApiServer({ ...services, socketPath: join(dir, 'off.sock') });
    const on = await startApiServer({ ...services, socketPath: join(dir, 'on.sock'), access: daemonAccess.access });
    const { token } = await daemonAccess.access.tokens.create({ name: 'bench', role: 'operator' });
    const ready: AccessNodeReady = { off: join(dir, 'off.sock'), on: join(dir, 'on.sock'), token };
    process.stdout.write(`${JSON.stringify(ready)}\n`);
    await untilStopSignal();
    await on.close();
    await off.close();
  } finally {
    await daemonAccess.access.audit?.close();
    await containers.shutdown();
    await images.close();
  }
}

await main();
