import { errors } from '../base/errors.js';

/** Where berthd listens unless told otherwise (berthd's `--socket` default). */
export const DEFAULT_SOCKET_PATH = '/run/berth/berth.sock';

/** The default `--host` / BERTH_HOST. */
export const DEFAULT_HOST = `unix://${DEFAULT_SOCKET_PATH}`;

/**
 * `unix:///run/berth/berth.sock` (or a bare absolute socket path) → the socket path. Only unix
 * sockets are served by berthd; anything else throws invalid-argument (`invalid-host`).
 */
export function socketPathOf(host: string): string {
  const path = host.startsWith('unix://') ? host.slice('unix://'.length) : host;
  if (!path.startsWith('/')) {
    throw errors.invalidArgument('invalid-host', `--host ${host}: want unix:///path/to/berth.sock (berthd listens on a unix socket)`);
  }
  return path;
}
