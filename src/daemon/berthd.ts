import { rm } from 'node:fs/promises';
import { Command } from 'commander';
import { DEFAULT_STATE_ROOT } from '../base/state-root.js';
import { errors, messageOf } from '../base/errors.js';
import { goDurationMs } from '../base/go-duration.js';
import { DEFAULT_EVENT_RETENTION, type EventRetention } from '../events/event-log.js';
import { BERTH_VERSION } from '../base/version.js';
import { ContainerEngine } from '../engine/container-engine.js';
import { ImageService } from '../images/image-service.js';
import { startApiServer } from '../api/server.js';

export const DEFAULT_SOCKET = '/run/berth/berth.sock';

interface DaemonOptions {
  root: string;
  socket: string;
  cgroupParent: string;
  eventsMaxCount: string;
  eventsMaxAge: string;
}

/**
 * berthd: opens the node's state root (cleaning what crashed writers left), serves the API on a
 * unix socket, and shuts down cleanly on SIGTERM/SIGINT. Start order: store → images → containers
 * (live restore: running containers are adopted, exits while down recorded) → API; stop order is
 * the reverse. Stopping berthd leaves containers running under their conmon.
 */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  const images = await ImageService.open(options.root);
  const containers = await ContainerEngine.open({ images, cgroupParent: options.cgroupParent, eventRetention: eventRetention(options) });
  const app = await startApiServer({ images, containers, socketPath: options.socket });
  process.stderr.write(`berthd ${BERTH_VERSION}: serving ${options.socket} (state root ${options.root})\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await app.close();
  containers.close();
  await images.close();
  await rm(options.socket, { force: true });
  process.stderr.write('berthd: stopped\n');
}

/** `--events-max-count 10000 --events-max-age 168h`. Throws invalid-argument naming the option. */
function eventRetention(options: DaemonOptions): EventRetention {
  const maxCount = Number(options.eventsMaxCount);
  const maxAgeMs = goDurationMs(options.eventsMaxAge);
  if (!Number.isSafeInteger(maxCount) || maxCount < 1) throw errors.invalidArgument('invalid-option', `--events-max-count ${options.eventsMaxCount}: want a positive integer`);
  if (maxAgeMs === undefined) throw errors.invalidArgument('invalid-option', `--events-max-age ${options.eventsMaxAge}: want a duration such as 168h`);
  return { maxCount, maxAgeMs };
}

/** Entry point of bin/berthd.js. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('berthd')
    .description('berth daemon: serves the Docker Engine API on a unix socket')
    .option('--root <dir>', 'state root', process.env.BERTH_ROOT ?? DEFAULT_STATE_ROOT)
    .option('--socket <path>', 'unix socket to serve the API on', DEFAULT_SOCKET)
    .option('--cgroup-parent <path>', 'absolute cgroup under which containers run', '/berth')
    .option('--events-max-count <n>', 'events the event log keeps', String(DEFAULT_EVENT_RETENTION.maxCount))
    .option('--events-max-age <duration>', 'how long the event log keeps events', `${DEFAULT_EVENT_RETENTION.maxAgeMs / 3_600_000}h`)
    .version(BERTH_VERSION);
  program.parse(argv);
  try {
    await runDaemon(program.opts<DaemonOptions>());
    return 0;
  } catch (err) {
    process.stderr.write(`berthd: ${messageOf(err)}\n`);
    return 1;
  }
}
