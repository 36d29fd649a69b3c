// Small steps of the create-field tests, the same on berthd and dockerd: raw API calls (the body
// exactly as given, the status and message as answered), create/start/run, exec output, the
// HostConfig fields compared, a process's cgroup file on the host, and removing every container.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { http } from './side-by-side.js';

/** A daemon as these tests address it. */
export interface Target {
  name: string;
  socketPath: string;
  client: Docker;
}

export interface ApiAnswer {
  status: number;
  json: Record<string, unknown>;
  /** The error message (`message` of the body), empty on success. */
  message: string;
}

/** The HostConfig fields the tests compare. */
export const FIELDS = ['GroupAdd', 'VolumesFrom', 'Links', 'DeviceCgroupRules', 'MemorySwappiness', 'VolumeDriver', 'Isolation', 'CpuRealtimePeriod', 'CpuRealtimeRuntime'] as const;

/** One request with a JSON body (versioned path, as the docker CLI sends it). */
export async function api(target: Target, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const answer = await http(target.socketPath, method, `/v1.41${path}`, body === undefined ? undefined : JSON.stringify(body), body === undefined ? {} : { 'Content-Type': 'application/json' });
  const parsed: unknown = answer.body.trim() === '' ? {} : JSON.parse(answer.body);
  const json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : { value: parsed };
  return { status: answer.status, json, message: typeof json.message === 'string' ? json.message : '' };
}

/** Creates a container (asserting 201) and returns its id. */
export async function create(target: Target, body: Record<string, unknown>, name?: string): Promise<string> {
  const answer = await api(target, 'POST', `/containers/create${name === undefined ? '' : `?name=${name}`}`, body);
  assert.equal(answer.status, 201, `${target.name}: ${answer.message}`);
  return String(answer.json.Id);
}

/** Starts a container (asserting success) and returns its pid. */
export async function start(target: Target, id: string): Promise<number> {
  const answer = await api(target, 'POST', `/containers/${id}/start`);
  assert.equal(answer.status, 204, `${target.name}: ${answer.message}`);
  return Number((await inspect(target, id)).State?.Pid);
}

export async function inspect(target: Target, id: string): Promise<{ State?: { Pid?: number }; HostConfig?: Record<string, unknown> } & Record<string, unknown>> {
  return (await api(target, 'GET', `/containers/${id}/json`)).json;
}

/** The compared HostConfig fields of a container. */
export async function hostFields(target: Target, id: string): Promise<Record<string, unknown>> {
  const host = (await inspect(target, id)).HostConfig ?? {};
  return Object.fromEntries(FIELDS.map((field) => [field, host[field]]));
}

async function bodyOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** stdout of multiplexed frames. */
function stdoutOf(body: Buffer): string {
  let out = '';
  for (let at = 0; at + 8 <= body.length;) {
    const size = body.readUInt32BE(at + 4);
    if (body[at] === 1) out += body.subarray(at + 8, at + 8 + size).toString();
    at += 8 + size;
  }
  return out;
}

/** Starts a created container, waits for its exit, and returns the exit code and its stdout. */
export async function runOnce(target: Target, id: string): Promise<{ code: number; out: string }> {
  await start(target, id);
  const container = target.client.getContainer(id);
  const { StatusCode } = (await container.wait()) as { StatusCode: number };
  const logs = await container.logs({ stdout: true, stderr: false, follow: false });
  return { code: StatusCode, out: stdoutOf(logs) };
}

/** stdout of a command run by exec in a running container (as `user`). */
export async function execOut(target: Target, id: string, cmd: string[], user?: string): Promise<string> {
  const exec = await target.client.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, ...(user === undefined ? {} : { User: user }) });
  return stdoutOf(await bodyOf(await exec.start({ hijack: false, stdin: false, Detach: false, Tty: false })));
}

/** The host path of `file` in the v1 `controller` cgroup of process `pid`. */
export async function cgroupFile(pid: number, controller: string, file: string): Promise<string> {
  for (const line of (await readFile(`/proc/${pid}/cgroup`, 'utf8')).split('\n')) {
    const [, controllers = '', path = ''] = line.split(':');
    if (controllers.split(',').includes(controller)) return `/sys/fs/cgroup/${controllers}${path}/${file}`;
  }
  throw new Error(`process ${pid} has no ${controller} cgroup`);
}

/** Force-removes every container of the daemon with its anonymous volumes, then the volumes left. */
export async function removeAll(target: Target): Promise<void> {
  for (const entry of (await target.client.listContainers({ all: true }))) await target.client.getContainer(entry.Id).remove({ force: true, v: true }).catch(() => undefined);
  await target.client.pruneVolumes().catch(() => undefined);
}
