// Runtime detection tests' helpers: the probe image (detect-probe.c built static, on busybox) and
// a follower of a berthd's event stream that waits for an event and tells what came before it.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthClient } from '../../../src/client/berth-client.js';
import type { DockerEvent } from '../../../src/client/event-client.js';
import type { DockerCliSession } from '../../support/docker-cli-session.js';
import { dockerCliSkip } from '../../support/docker-cli-session.js';
import { FIXTURES } from './security-fixtures.js';

/** detect-probe.c in the source tree. */
export const PROBE_SOURCE = join(FIXTURES, 'detect-probe.c');

/** How long a wait for an event may take before the test fails: only a stuck run reaches it. */
export const EVENT_BOUND_MS = 60_000;

/** Why the runtime detection tests cannot run here, or false. */
export function detectionSkip(): string | false {
  const docker = dockerCliSkip();
  if (docker !== false) return docker;
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return gcc.status === 0 ? false : 'no gcc: the test builds its probe program (apt-get install gcc)';
}

/**
 * Builds the probe image `tag` in the session's berthd: busybox with
 *   /usr/bin/detect-probe   (detect-probe.c, static)
 *   /usr/local/bin/detect-tracer   the same program under another name
 *   /etc/shadow             (a file of passwords to read)
 *   /var/lib/dpkg/status    a FIFO: busybox's `dpkg -l` opens it and waits for a writer, so the
 *                           package manager is still there when its exec is read
 *   /tmp/go                 a FIFO a workload reads commands from
 */
export async function buildProbeImage(session: DockerCliSession, tag: string): Promise<void> {
  const context = join(session.work, 'probe-context');
  await mkdir(context, { recursive: true });
  const gcc = spawnSync('gcc', ['-static', '-O2', '-o', join(context, 'detect-probe'), PROBE_SOURCE], { encoding: 'utf8' });
  if (gcc.status !== 0) throw new Error(`gcc detect-probe.c: ${gcc.stderr}`);
  await writeFile(join(context, 'shadow'), 'root:*:19000:0:99999:7:::\n');
  await writeFile(join(context, 'Dockerfile'), [
    'FROM busybox',
    'COPY detect-probe /usr/bin/detect-probe',
    'COPY detect-probe /usr/local/bin/detect-tracer',
    'COPY shadow /etc/shadow',
    'RUN mkdir -p /var/lib/dpkg && mkfifo /var/lib/dpkg/status /tmp/go',
    '',
  ].join('\n'));
  session.ok('build', '-q', '-t', tag, context);
}

/** A detection event's attributes that tell one from another, for assertion messages. */
export function summary(event: DockerEvent): string {
  const a = event.Actor.Attributes;
  return [event.Action, ...['on', 'pid', 'exe', 'command', 'path', 'kind', 'protocol'].flatMap((key) => a[key] === undefined ? [] : [`${key}=${a[key]}`])].join(' ');
}

interface Waiter {
  match: (event: DockerEvent) => boolean;
  resolve: (index: number) => void;
}

/**
 * Every event of a berthd from the moment `follow` resolves, in the order the daemon recorded them
 * (one stream, GET /events). `waitFor` resolves with the first event that matches (recorded
 * earlier or later); `before` lists what came before it. Close it with `close`.
 */
export class EventFollower {
  readonly events: DockerEvent[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #abort = new AbortController();
  #ended: string | undefined;
  #pump: Promise<void> = Promise.resolve();

  private constructor() {}

  static async follow(socketPath: string): Promise<EventFollower> {
    const follower = new EventFollower();
    const stream = await new BerthClient(socketPath).events.open({}, follower.#abort.signal);
    follower.#pump = (async () => {
      try {
        for await (const event of stream) {
          follower.events.push(event);
          for (const waiter of follower.#waiters) {
            if (waiter.match(event)) {
              follower.#waiters.delete(waiter);
              waiter.resolve(follower.events.length - 1);
            }
          }
        }
        follower.#ended = 'the event stream ended';
      } catch (err) {
        follower.#ended = `the event stream failed: ${String(err)}`;
      }
    })();
    return follower;
  }

  /** The index (in `events`) of the first event that matches; fails after `boundMs`. */
  async waitFor(what: string, match: (event: DockerEvent) => boolean, boundMs = EVENT_BOUND_MS): Promise<number> {
    const seen = this.events.findIndex(match);
    if (seen >= 0) return seen;
    if (this.#ended !== undefined) throw new Error(`waiting for ${what}: ${this.#ended}`);
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    try {
      return await new Promise<number>((resolve, reject) => {
        waiter = { match, resolve };
        this.#waiters.add(waiter);
        timer = setTimeout(() => {
          const detections = this.events.filter((e) => e.Action.startsWith('detection')).map(summary);
          reject(new Error(`no ${what} within ${boundMs} ms; detections so far: ${detections.join('; ') || 'none'}`));
        }, boundMs);
      });
    } finally {
      clearTimeout(timer);
      if (waiter !== undefined) this.#waiters.delete(waiter);
    }
  }

  /**
   * The detection `detection: <rule>` of container `id` whose attributes `match` picks (waited for):
   * a trigger is told by attributes the normal workload's processes and files do not have.
   */
  async detection(id: string, rule: string, match: (attributes: Record<string, string | undefined>) => boolean): Promise<{ index: number; event: DockerEvent }> {
    const index = await this.waitFor(`detection ${rule} in ${id.slice(0, 12)}`, (e) => e.Actor.ID === id && e.Action === `detection: ${rule}` && match(e.Actor.Attributes));
    return { index, event: this.events[index] as DockerEvent };
  }

  /** The detections of `rule` in container `id` recorded before the event at `index`. */
  before(index: number, id: string, rule: string): DockerEvent[] {
    return this.events.slice(0, index).filter((e) => e.Actor.ID === id && e.Action === `detection: ${rule}`);
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#pump;
  }
}
