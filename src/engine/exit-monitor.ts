/**
 * Watches the shared exit directory where conmon writes `<id>` when a container's process exits,
 * and reports each id (possibly more than once: the handler must be idempotent). A slow safety
 * sweep re-reports every file present, in case the watcher missed an event.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirEntries } from '../base/fs-probe.js';
import { componentLogger } from '../base/logger.js';

const log = componentLogger('engine');

const SWEEP_MS = 5000;

/**
 * Only complete exit files: conmon writes `<id>.XXXXXX` and renames it to `<id>`; touching the
 * temporary file would make the rename fail and lose the exit.
 */
const CONTAINER_ID = /^[0-9a-f]{64}$/;

export class ExitMonitor {
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly dir: string, private readonly onExit: (id: string) => void) {}

  /** Starts watching, then reports every exit file already present. */
  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.#watcher = watch(this.dir, (_event, filename) => {
      if (filename !== null && CONTAINER_ID.test(filename)) this.onExit(filename);
    });
    // A failing watch only delays exits until the next sweep.
    this.#watcher.on('error', (err) => { log.warn('watching the exit directory failed; exits are found by the sweep', { err, dir: this.dir }); });
    this.#timer = setInterval(() => { void this.sweep(); }, SWEEP_MS);
    this.#timer.unref();
    await this.sweep();
  }

  async sweep(): Promise<void> {
    const names = await dirEntries(this.dir, log);
    for (const name of names) if (CONTAINER_ID.test(name)) this.onExit(name);
  }

  stop(): void {
    this.#watcher?.close();
    clearInterval(this.#timer);
  }
}
