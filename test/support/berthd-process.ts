import { spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { request } from 'node:http';

/** The repo's `bin/berthd.js`, found from the compiled file (dist/test/support/). */
export const BERTHD_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'berthd.js');

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => {
      resolve(false);
    });
    req.end();
  });
}

/** A berthd started for a test on its own state root and socket. */
export class BerthdProcess {
  private exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly socketPath: string,
    readonly log: string[],
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => {
      resolve(code);
    }));
  }

  /** Starts berthd and waits until `/_ping` answers (or it exits, or 60 s pass). */
  static async start(root: string, socketPath: string, extraArgs: readonly string[] = []): Promise<BerthdProcess> {
    const log: string[] = [];
    // The V8 flag of bin/berthd.js's shebang, which a spawn through process.execPath bypasses.
    const child = spawn(process.execPath, ['--max-semi-space-size=1', BERTHD_BIN, '--root', root, '--socket', socketPath, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => log.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => log.push(c.toString()));
    const daemon = new BerthdProcess(child, socketPath, log);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`berthd exited ${child.exitCode}: ${log.join('')}`);
      if (await ping(socketPath)) return daemon;
      if (Date.now() > deadline) throw new Error(`berthd did not answer /_ping: ${log.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL (a crash): nothing of berthd's shutdown runs. Resolves once it is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, and the exit code berthd returned. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  async socketExists(): Promise<boolean> {
    return access(this.socketPath).then(() => true, () => false);
  }
}
