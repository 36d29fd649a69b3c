import { rm } from 'node:fs/promises';
import { Command } from 'commander';
import { DEFAULT_STATE_ROOT } from '../base/state-root.js';
import { messageOf } from '../base/errors.js';
import { BERTH_VERSION } from '../base/version.js';
import { ContainerEngine } from '../engine/container-engine.js';
import { ImageService } from '../images/image-service.js';
import { startApiServer } from '../api/server.js';
import { Builder } from '../build/builder.js';

export const DEFAULT_SOCKET = '/run/berth/berth.sock';

interface DaemonOptions {
  root: string;
  socket: string;
  cgroupParent: string;
}

/**
 * berthd: opens the node's state root (cleaning what crashed writers left), serves the API on a
 * unix socket, and shuts down cleanly on SIGTERM/SIGINT. Start order: store → images → containers
 * (live restore: running containers are adopted, exits while down recorded) → API; stop order is
 * the reverse. Stopping berthd leaves containers running under their conmon.
 */
export async function runDaemon(options: DaemonOptions): Promise<void> {
  const images = await ImageService.open(options.root);
  const containers = await ContainerEngine.open({ images, cgroupParent: options.cgroupParent });
  const builder = await Builder.open(images, containers);
  const app = await startApiServer({ images, containers, builder, socketPath: options.socket });
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

/** Entry point of bin/berthd.js. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('berthd')
    .description('berth daemon: serves the Docker Engine API on a unix socket')
    .option('--root <dir>', 'state root', process.env.BERTH_ROOT ?? DEFAULT_STATE_ROOT)
    .option('--socket <path>', 'unix socket to serve the API on', DEFAULT_SOCKET)
    .option('--cgroup-parent <path>', 'absolute cgroup under which containers run', '/berth')
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
