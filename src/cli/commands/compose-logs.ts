/**
 * `berth compose logs` and the attached `up`: the output of the project's containers, each line
 * prefixed by its container's name (coloured on a terminal, one colour per container, as docker
 * compose does). `followProject` follows until the containers end or Ctrl-C, which stops them.
 */
import { Writable } from 'node:stream';
import type { GlobalOptions } from '../args/command-spec.js';
import { LABELS } from '../../compose/compose-labels.js';
import type { ComposeProject } from '../../compose/project-model.js';
import { copyOutput, RAW_STREAM } from '../../client/stdio-output.js';
import type { BerthClient } from '../../client/berth-client.js';
import { withClient } from '../context.js';
import { projectOrName, type ComposeFlags } from './compose-project.js';

export interface LogsFlags { follow?: boolean; tail?: string; timestamps?: boolean; color?: boolean; logPrefix?: boolean }

const COLORS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** A sink that writes each complete line to `out` behind `prefix`. */
class PrefixedLines extends Writable {
  private partial = '';

  constructor(private readonly prefix: string, private readonly out: NodeJS.WritableStream) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    if (lines.length > 0) this.out.write(lines.map((line) => `${this.prefix}${line}\n`).join(''));
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.partial !== '') this.out.write(`${this.prefix}${this.partial}\n`);
    done();
  }
}

interface Target { id: string; name: string }

async function streamLogs(client: BerthClient, targets: Target[], flags: LogsFlags, signal?: AbortSignal): Promise<void> {
  const width = Math.max(0, ...targets.map((t) => t.name.length));
  const colored = flags.color !== false && process.stdout.isTTY;
  await Promise.all(targets.map(async (target, index) => {
    const label = `${target.name.padEnd(width)}  | `;
    const prefix = flags.logPrefix === false ? '' : colored ? `\u001b[${COLORS[index % COLORS.length] ?? 36}m${label}\u001b[0m` : label;
    const res = await client.containers.logs(target.id, {
      stdout: true, stderr: true, follow: flags.follow === true, timestamps: flags.timestamps === true, ...(flags.tail === undefined ? {} : { tail: flags.tail }),
    }, signal);
    const out = new PrefixedLines(prefix, process.stdout);
    const err = new PrefixedLines(prefix, process.stderr);
    try {
      await copyOutput(res, res.headers['content-type'] === RAW_STREAM, { stdout: out, stderr: err });
    } catch (e) {
      if (signal?.aborted !== true) throw e;
    } finally {
      out.end();
      err.end();
    }
  }));
}

async function targetsOf(client: BerthClient, project: string, services: string[]): Promise<Target[]> {
  const list = await client.containers.list({ all: true, filters: { label: [`${LABELS.project}=${project}`] } });
  return list.filter((c) => services.length === 0 || services.includes(c.Labels[LABELS.service] ?? ''))
    .map((c) => ({ id: c.Id, name: (c.Names[0] ?? '').replace(/^\//, '') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function composeLogsAction(globals: GlobalOptions, services: string[], flags: LogsFlags & ComposeFlags): Promise<void> {
  const project = await projectOrName(flags);
  await withClient(globals, async (client) => { await streamLogs(client, await targetsOf(client, project.name, services), flags); });
}

/** The attached `up`: follows the logs; Ctrl-C (or SIGTERM) stops the containers. */
export async function followProject(globals: GlobalOptions, project: ComposeProject, services: string[]): Promise<void> {
  await withClient(globals, async (client) => {
    const targets = await targetsOf(client, project.name, services);
    const abort = new AbortController();
    const stop = (): void => {
      process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
      process.off('SIGINT', stop);
      process.once('SIGINT', () => process.exit(130));
      void Promise.all(targets.map((t) => client.containers.stop(t.id))).finally(() => { abort.abort(); });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      await streamLogs(client, targets, { follow: true }, abort.signal);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
}
