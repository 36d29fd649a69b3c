/**
 * Who is at the other end of a unix-socket connection to berthd: the uid and gid the kernel
 * recorded when the peer connected (SO_PEERCRED). Node cannot read socket options, so the
 * `berth-peercred` program (C, built with the project into dist/libexec; see berth-peercred.c)
 * does: one co-process for berthd's life (`--serve`, started on first use, restarted after it
 * dies), told a descriptor number per line, which it copies out of this process and answers for
 * in order. One question per connection: the answer is kept for the connection's life.
 *
 * A long-lived co-process (base/line-coprocess.ts) rather than the process runner: a run per
 * connection cost ~3 ms.
 */
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BerthError, messageOf } from '../../base/errors.js';
import { LineCoprocess } from '../../base/line-coprocess.js';

/** dist/libexec/berth-peercred, next to the built code (this file is dist/src/api/access/…). */
export const DEFAULT_PEERCRED_PROGRAM = fileURLToPath(new URL('../../../libexec/berth-peercred', import.meta.url));

export interface PeerCredentials {
  readonly uid: number;
  readonly gid: number;
  readonly pid: number;
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
  readonly #helper: LineCoprocess;

  constructor(program = DEFAULT_PEERCRED_PROGRAM) {
    this.#helper = new LineCoprocess(program, ['--serve', String(process.pid)]);
  }

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
      line = await this.#helper.ask(String(fd));
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
}
