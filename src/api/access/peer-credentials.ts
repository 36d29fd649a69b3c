/**
 * Who is at the other end of a unix-socket connection to berthd: the uid and gid the kernel
 * recorded when the peer connected (SO_PEERCRED). Node cannot read socket options, so the
 * `berth-peercred` program (C, built with the project into dist/libexec; see berth-peercred.c)
 * does: one co-process for berthd's life (`--serve`, started on first use, restarted after it
 * dies), told a descriptor number per line, which it copies out of this process and answers for
 * in order. One question per connection: the answer is kept for the connection's life.
 *
 * A long-lived co-process rather than the process runner: a run per connection cost ~3 ms.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BerthError, messageOf } from '../../base/errors.js';

/** dist/libexec/berth-peercred, next to the built code (this file is dist/src/api/access/…). */
export const DEFAULT_PEERCRED_PROGRAM = fileURLToPath(new URL('../../../libexec/berth-peercred', import.meta.url));

export interface PeerCredentials {
  readonly uid: number;
  readonly gid: number;
  readonly pid: number;
}

interface Helper {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pending: { resolve: (line: string) => void; reject: (err: Error) => void }[];
  buffer: string;
}

/** The descriptor of a connected socket (Node keeps it on the socket's handle). */
function descriptorOf(socket: Socket): number | undefined {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } })._handle;
  return typeof handle?.fd === 'number' && handle.fd >= 0 ? handle.fd : undefined;
}

const unauthenticated = (message: string, cause?: unknown): BerthError =>
  new BerthError('unauthenticated', 'peer-unknown', `cannot read the socket peer's credentials: ${message}`, cause === undefined ? {} : { cause });

export class PeerCredentialReader {
  readonly #known = new WeakMap<Socket, Promise<PeerCredentials>>();
  #helper: Helper | undefined;

  constructor(private readonly program = DEFAULT_PEERCRED_PROGRAM) {}

  /**
   * The peer of `socket`. unauthenticated (`peer-unknown`) when it cannot be read — the socket
   * closed meanwhile, or the program is missing or fails — so that an unknown peer is never let in.
   */
  of(socket: Socket): Promise<PeerCredentials> {
    let known = this.#known.get(socket);
    if (known === undefined) {
      known = this.#read(socket);
      this.#known.set(socket, known);
    }
    return known;
  }

  async #read(socket: Socket): Promise<PeerCredentials> {
    const fd = descriptorOf(socket);
    if (fd === undefined) throw unauthenticated('the connection has no descriptor');
    let line: string;
    try {
      line = await this.#ask(fd);
    } catch (cause) {
      throw unauthenticated(messageOf(cause), cause);
    }
    // Node closes a socket's descriptor only when it is destroyed: while it is not, the number
    // asked about was this connection's all along (never one reused by a later connection).
    if (socket.destroyed) throw unauthenticated('the connection closed');
    const [uid, gid, pid] = line.split(' ').map(Number);
    if (uid === undefined || gid === undefined || pid === undefined || [uid, gid, pid].some((n) => !Number.isSafeInteger(n))) throw unauthenticated(line);
    return { uid, gid, pid };
  }

  #ask(fd: number): Promise<string> {
    const helper = this.#helper ?? this.#start();
    return new Promise((resolve, reject) => {
      helper.pending.push({ resolve, reject });
      helper.child.stdin.write(`${fd}\n`);
    });
  }

  #start(): Helper {
    const child = spawn(this.program, ['--serve', String(process.pid)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const helper: Helper = { child, pending: [], buffer: '' };
    this.#helper = helper;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      helper.buffer += chunk;
      for (let end = helper.buffer.indexOf('\n'); end >= 0; end = helper.buffer.indexOf('\n')) {
        const line = helper.buffer.slice(0, end);
        helper.buffer = helper.buffer.slice(end + 1);
        helper.pending.shift()?.resolve(line);
      }
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const fail = (err: Error): void => {
      if (this.#helper === helper) this.#helper = undefined;
      for (const waiter of helper.pending.splice(0)) waiter.reject(err);
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => { fail(new Error(`${this.program} ended (${signal ?? `exit code ${code ?? '?'}`})${stderr === '' ? '' : `: ${stderr.trim()}`}`)); });
    child.stdin.on('error', () => undefined);
    // It must not keep berthd alive; it ends by itself when berthd does (its stdin closes).
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref();
    return helper;
  }
}
