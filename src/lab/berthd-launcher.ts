/**
 * Starting and stopping a node's berthd: `nsenter --net=/run/netns/<ns>` runs berthd in the
 * node's network namespace only (its mounts stay in the host's mount namespace, so the host sees
 * and can clean them), detached from the caller (a lab outlives `berth lab up`), with its output
 * in the node's log file. A berthd is recognised by its pid AND its presence in the node's
 * namespace, so a reused pid is never signalled.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errors } from '../base/errors.js';
import { isProcessAlive } from '../base/process-alive.js';
import type { LabNodeNames } from './lab-names.js';

/** The repository's bin/berthd.js, found from this compiled file (dist/src/lab/). */
export const DEFAULT_BERTHD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'berthd.js');

/** Whether berthd answers `GET /_ping` with 200 on `socket`. */
export function pingSocket(socket: string, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => { req.destroy(); });
    req.on('error', () => { resolve(false); });
    req.end();
  });
}

/** Polls `check` every 50 ms until it holds; false when `deadlineMs` passes first. */
export async function waitFor(check: () => boolean | Promise<boolean>, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Spawns the node's berthd (detached) and returns its pid; the caller waits for readiness with
 * `waitReady`. Throws internal when the process cannot be spawned.
 */
export async function spawnBerthd(node: LabNodeNames, berthd: string): Promise<number> {
  const log = await open(node.log, 'a');
  try {
    const child = spawn('nsenter', [
      `--net=/run/netns/${node.netns}`, '--',
      // The V8 flag of bin/berthd.js's shebang, which a spawn through process.execPath bypasses.
      process.execPath, '--max-semi-space-size=1', berthd,
      '--root', node.root, '--socket', node.socket, '--cgroup-parent', node.cgroupParent, '--node-name', node.hostname,
    ], { detached: true, stdio: ['ignore', log.fd, log.fd] });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => { resolve(child.pid ?? 0); });
      child.once('error', (cause) => { reject(errors.internal('berthd-spawn-failed', `${node.hostname}: cannot start berthd: ${cause.message}`, { cause })); });
    });
    child.unref();
    return pid;
  } finally {
    await log.close();
  }
}

/**
 * Waits until the node's berthd answers on its socket. Throws unavailable with the log's tail when
 * it exits first or does not answer within `deadlineMs`.
 */
export async function waitReady(node: LabNodeNames, pid: number, deadlineMs: number, readLog: () => Promise<string>): Promise<void> {
  const settled = await waitFor(async () => !isProcessAlive(pid) || await pingSocket(node.socket), deadlineMs);
  const exited = !isProcessAlive(pid);
  if (settled && !exited) return;
  const tail = (await readLog()).split('\n').slice(-15).join('\n');
  throw errors.unavailable('lab-node-not-ready', `${node.hostname}: berthd ${exited ? 'exited' : `did not answer on ${node.socket} within ${deadlineMs / 1000} s`}; its log ends:\n${tail}`);
}
