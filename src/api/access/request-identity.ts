/**
 * Who sent a request: a bearer token when one is given (on any listener), else the client
 * certificate of a TLS connection (verified against berthd's CA; CN the name, O the role), else
 * the unix socket's peer (uid 0 is admin; any other uid, which could open the socket only through
 * its group, gets the socket role). Nothing else is let in: unauthenticated (401).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { BerthError } from '../../base/errors.js';
import type { Identity, TokenStore } from '../../security/access/index.js';
import type { PeerCredentialReader } from './peer-credentials.js';

/** The role of a client certificate without an O. */
export const DEFAULT_CERTIFICATE_ROLE = 'viewer';

export interface IdentitySources {
  tokens: TokenStore;
  /** Reads socket peers' uids; without it (no berth-peercred program) every socket peer gets the socket role. */
  peers?: PeerCredentialReader;
  /** The role of socket peers other than root (`berthd --socket-role`). */
  socketRole: string;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function bearerOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = BEARER.exec(header);
  if (match?.[1] === undefined) throw new BerthError('unauthenticated', 'invalid-authorization', 'the Authorization header is not "Bearer <token>"');
  return match[1];
}

function certificateIdentity(socket: TLSSocket): Identity {
  if (!socket.authorized) {
    throw new BerthError('unauthenticated', 'client-certificate-required', 'a client certificate signed by berthd\'s CA, or a bearer token, is required');
  }
  const subject = socket.getPeerCertificate().subject;
  const name = first(subject.CN) ?? '';
  return { kind: 'certificate', name: `CN=${name}`, role: first(subject.O) ?? DEFAULT_CERTIFICATE_ROLE, source: sourceOf(socket) };
}

function sourceOf(socket: Socket): string {
  if (socket instanceof TLSSocket) return `tls ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  return 'unix socket';
}

/** The identity of `request`; unauthenticated when it has none berthd accepts. */
export async function identify(request: IncomingMessage, sources: IdentitySources): Promise<Identity> {
  const bearer = bearerOf(request);
  if (bearer !== undefined) {
    const token = sources.tokens.authenticate(bearer);
    return { kind: 'token', name: token.name, role: token.role, source: sourceOf(request.socket) };
  }
  const socket: Socket = request.socket;
  if (socket instanceof TLSSocket) return certificateIdentity(socket);
  if (sources.peers === undefined) return { kind: 'socket', name: 'uid unknown', role: sources.socketRole, source: 'unix socket' };
  const peer = await sources.peers.of(socket);
  return { kind: 'socket', name: `uid ${peer.uid}`, role: peer.uid === 0 ? 'admin' : sources.socketRole, uid: peer.uid, source: `unix socket (pid ${peer.pid})` };
}

/** What can be told of a caller `identify` refused (for the audit trail): never a secret. */
export interface UnidentifiedCaller {
  /**
   * What it presented: `unknown token sha256:1a2b3c4d` (token-store.ts), `token ci (expired)`,
   * `malformed Authorization header`, `unverified certificate CN=…`, `no credentials`, or
   * `unreadable socket peer`.
   */
  readonly presented: string;
  /** As an identity's: `unix socket (pid 123)`, `tls 10.0.0.5:51234`; `unix socket` when the peer cannot be read. */
  readonly source: string;
  readonly uid?: number;
}

/** A certificate's subject is the client's claim when unverified: kept short. */
const MAX_UNVERIFIED_NAME = 64;

/** Describes the caller of a request `identify` refused: what it presented, and where from (the socket peer when it can be read). */
export async function unidentifiedCaller(request: IncomingMessage, sources: IdentitySources): Promise<UnidentifiedCaller> {
  const socket: Socket = request.socket;
  const header = request.headers.authorization;
  let presented: string;
  if (header !== undefined) {
    const secret = BEARER.exec(header)?.[1];
    presented = secret === undefined ? 'malformed Authorization header' : sources.tokens.describeRejected(secret);
  } else if (socket instanceof TLSSocket) {
    const certificate = socket.getPeerCertificate();
    // Without a client certificate, node gives an empty object.
    const name = Object.keys(certificate).length === 0 ? undefined : first(certificate.subject.CN);
    presented = name === undefined ? 'no credentials' : `unverified certificate CN=${name.slice(0, MAX_UNVERIFIED_NAME)}`;
  } else {
    presented = 'unreadable socket peer';
  }
  if (socket instanceof TLSSocket) return { presented, source: sourceOf(socket) };
  const peer = await sources.peers?.of(socket).catch(() => undefined); // an unreadable peer is described as such below
  return peer === undefined ? { presented, source: 'unix socket' } : { presented, source: `unix socket (pid ${peer.pid})`, uid: peer.uid };
}
