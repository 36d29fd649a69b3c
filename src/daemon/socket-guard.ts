/**
 * One daemon per API socket. A socket file that answers belongs to a daemon that is running: a
 * second berthd (another state root, the same `--socket`) must not unlink it and take the path
 * over, which would leave the first running and unreachable. A socket file that nothing answers
 * on (a daemon killed with -9) is stale and may be replaced.
 */
import { request } from 'node:http';
import { z } from 'zod';
import { errnoCode, errors } from '../base/errors.js';

const infoSchema = z.object({ Name: z.string().optional(), DockerRootDir: z.string().optional(), ServerVersion: z.string().optional() }).loose();

/** What the daemon behind `socketPath` says of itself, or undefined when nothing answers there. */
function askInfo(socketPath: string, timeoutMs: number): Promise<z.infer<typeof infoSchema> | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/info', method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          parsed = {}; // not JSON: still an answer, from a daemon that does not say which
        }
        const info = infoSchema.safeParse(parsed);
        resolve(info.success ? info.data : {});
      });
      res.on('error', reject);
    });
    req.on('timeout', () => { req.destroy(); resolve({}); });
    req.on('error', (err) => {
      const code = errnoCode(err);
      if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ENOTSOCK') resolve(undefined);
      else reject(err);
    });
    req.end();
  });
}

/**
 * Throws failed-precondition (`socket-in-use`) naming the running daemon (its state root when it
 * says) when something answers on `socketPath`; resolves when the path is free or stale.
 */
export async function ensureSocketUnserved(socketPath: string, timeoutMs = 2000): Promise<void> {
  const info = await askInfo(socketPath, timeoutMs);
  if (info === undefined) return;
  const who = info.DockerRootDir === undefined ? 'another daemon' : `another daemon (state root ${info.DockerRootDir}${info.ServerVersion === undefined ? '' : `, version ${info.ServerVersion}`})`;
  throw errors.failedPrecondition('socket-in-use', `${socketPath} is served by ${who}: stop it, or give this berthd another --socket`);
}
