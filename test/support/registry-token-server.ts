/**
 * A token server for the CNCF registry's `auth: token` mode, for tests: on 127.0.0.1 (port 0),
 * it signs JWTs (RS256, with the certificate in `x5c`) granting what a client asked for — all
 * actions to the one known user, `pull` only to anonymous clients — and answers 401 to a wrong
 * password. The key and self-signed certificate are made with openssl.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface TokenAuthConfig {
  realm: string;
  service: string;
  issuer: string;
  rootCertBundle: string;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export class RegistryTokenServer {
  /** Scopes asked for, one list per token request (anonymous ones included). */
  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    readonly config: TokenAuthConfig,
    readonly requests: { user: string | undefined; scopes: string[] }[],
  ) {}

  static async start(user: { username: string; password: string }): Promise<RegistryTokenServer> {
    const dir = await mkdtemp(join(tmpdir(), 'berth-token-server-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=berth-test-token'], { stdio: 'ignore' });
    const key: KeyObject = createPrivateKey(await readFile(join(dir, 'key.pem')));
    const certPem = await readFile(join(dir, 'cert.pem'), 'utf8');
    const der = certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const service = 'berth-test-registry';
    const issuer = 'berth-test-issuer';
    const requests: { user: string | undefined; scopes: string[] }[] = [];
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const scopes = url.searchParams.getAll('scope');
      const header = req.headers.authorization ?? '';
      let who: string | undefined;
      if (header.startsWith('Basic ')) {
        const [name, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
        if (name !== user.username || rest.join(':') !== user.password) {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"incorrect username or password"}');
          return;
        }
        who = name;
      }
      requests.push({ user: who, scopes });
      const access = scopes.map((scope) => {
        const [type, name, actions] = [scope.slice(0, scope.indexOf(':')), scope.slice(scope.indexOf(':') + 1, scope.lastIndexOf(':')), scope.slice(scope.lastIndexOf(':') + 1)];
        const asked = actions.split(',');
        return { type, name, actions: who === undefined ? asked.filter((a) => a === 'pull') : asked };
      });
      const now = Math.floor(Date.now() / 1000);
      const head = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der] }));
      const claims = base64url(JSON.stringify({ iss: issuer, sub: who ?? '', aud: service, exp: now + 600, nbf: now - 60, iat: now, jti: randomBytes(8).toString('hex'), access }));
      const signature = base64url(sign('sha256', Buffer.from(`${head}.${claims}`), key));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `${head}.${claims}.${signature}`, expires_in: 600 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return new RegistryTokenServer(server, dir, { realm: `http://127.0.0.1:${port}/token`, service, issuer, rootCertBundle: join(dir, 'cert.pem') }, requests);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
    await rm(this.dir, { recursive: true, force: true });
  }
}
