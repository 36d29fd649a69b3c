// Helpers of the attach tests: an output collector that waits for conditions (never for time),
// a registry that closes every attach connection and cancels every unstarted exec at the end,
// and the host's view of a pty's size.
import { join } from 'node:path';
import { connectAttach, type AttachConnection, type AttachOutput } from '../../../src/runtime/attach-socket.js';
import { prepareExec, type ExecOptions, type PreparedExec } from '../../../src/runtime/conmon-exec.js';
import { CONMON, RUNC, runner, type RuntimeFixture, type TestContainer } from './runtime-fixtures.js';

/** Generous bound for anything a test waits for. */
export const BOUND_MS = 60_000;
export const BOUND = (): AbortSignal => AbortSignal.timeout(BOUND_MS);

/** Everything an attach connection delivered, per stream and as packets, filled in the background. */
export class Collector {
  readonly packets: AttachOutput[] = [];
  stdout = '';
  stderr = '';
  /** Resolves when the output ends; rejects if iterating threw. */
  readonly done: Promise<void>;
  #finished = false;
  #wakers = new Set<() => void>();

  constructor(readonly connection: AttachConnection) {
    this.done = (async () => {
      try {
        for await (const packet of connection) {
          this.packets.push(packet);
          this[packet.stream] += packet.data.toString('utf8');
          this.#wake();
        }
      } finally {
        this.#finished = true;
        this.#wake();
      }
    })();
    this.done.catch(() => undefined);
  }

  /** Waits until `check` holds for the collected output; fails when the output ends first or after the bound. */
  async until(what: string, check: (c: Collector) => boolean, boundMs = BOUND_MS): Promise<void> {
    const deadline = Date.now() + boundMs;
    while (!check(this)) {
      if (this.#finished) throw new Error(`output ended before ${what}: ${JSON.stringify({ stdout: this.stdout, stderr: this.stderr })}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ stdout: this.stdout, stderr: this.stderr })}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, left);
        function finish(): void {
          clearTimeout(timer);
          wakers.delete(finish);
          resolve();
        }
        const wakers = this.#wakers;
        wakers.add(finish);
      });
    }
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }
}

/** Attach connections and prepared execs of a test file, closed and canceled in `after`. */
export class AttachRegistry {
  readonly #connections: AttachConnection[] = [];
  readonly #execs: PreparedExec[] = [];

  /** Connects and starts collecting at once. */
  async attach(path: string): Promise<Collector> {
    const connection = await connectAttach(path, BOUND());
    this.#connections.push(connection);
    return new Collector(connection);
  }

  /** Prepares an exec in `c` (own dir below the container's) and remembers it for cleanup. */
  async prepareExec(f: RuntimeFixture, c: TestContainer, name: string, args: readonly string[],
    io: Pick<ExecOptions, 'terminal' | 'stdin'> = {}): Promise<PreparedExec> {
    const prepared = await prepareExec({
      id: c.id, runtimeRoot: f.runc.root, runcPath: RUNC, conmonPath: CONMON,
      process: { args, env: ['PATH=/bin', 'TERM=xterm'], cwd: '/', user: { uid: 0, gid: 0 } },
      execDir: join(c.dir, name), signal: BOUND(), ...io,
    });
    this.#execs.push(prepared);
    return prepared;
  }

  closeAll(): void {
    for (const connection of this.#connections) connection.close();
    for (const exec of this.#execs) exec.cancel();
  }
}

/** The window size of the pty that is fd 0 of `pid`, as the host's stty sees it ("rows cols"). */
export async function ptySize(pid: number): Promise<string> {
  const { stdout } = await runner.run('stty', ['-F', `/proc/${pid}/fd/0`, 'size']);
  return stdout.trim();
}
