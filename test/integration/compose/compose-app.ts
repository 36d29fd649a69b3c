// The multi-service application of the compose integration tests, a way to run `berth compose`
// against a test's berthd, and a plain HTTP GET of a published port.
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { runBerth, type CliResult } from '../../support/berth-cli.js';

/** Runs `berth compose <args>` in `cwd` against `socketPath`, bounded at 180 s. */
export function berthCompose(socketPath: string, cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runBerth(['--host', `unix://${socketPath}`, 'compose', ...args], { cwd, env, unsetEnv: ['BERTH_ROOT'], timeoutMs: 180_000 });
}

/** The body of `GET http://127.0.0.1:<port><path>`. */
export function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve(Buffer.concat(chunks).toString()); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * A shop: `web` (busybox httpd on the front and back networks, its CGI asks `api` by name), `api`
 * (serves the secret, only on the internal back network), `db` (healthchecked, on a named volume)
 * and `migrate` (a one-shot job writing to the volume). web waits for migrate to complete, for db to
 * be healthy and for api to start.
 */
export function shopFile(): string {
  return `name: shop
services:
  web:
    image: busybox
    command:
      - sh
      - -c
      - |
        mkdir -p /www/cgi-bin
        printf '#!/bin/sh\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\n"\\nwget -qO- http://api/\\n' > /www/cgi-bin/q
        chmod +x /www/cgi-bin/q
        echo web > /www/index.html
        exec httpd -f -p 80 -h /www
    stop_grace_period: 1s
    ports: ["127.0.0.1:\${WEB_PORT:?WEB_PORT must be set}:80"]
    networks: [front, back]
    depends_on:
      migrate: { condition: service_completed_successfully }
      db: { condition: service_healthy }
      api: { condition: service_started }
  api:
    image: busybox
    command: sh -c 'mkdir -p /www && cat /run/secrets/token > /www/index.html && exec httpd -f -p 80 -h /www'
    stop_grace_period: 1s
    environment:
      MODE: \${MODE:-prod}
    networks:
      back:
        aliases: [backend]
    secrets: [token]
  db:
    image: busybox
    command: sh -c 'test -f /data/migrated && touch /data/ready; exec sleep 3600'
    volumes: [dbdata:/data]
    networks: [back]
    stop_signal: SIGKILL
    depends_on:
      migrate: { condition: service_completed_successfully }
    healthcheck:
      test: ["CMD", "test", "-f", "/data/ready"]
      interval: 1s
      retries: 60
  migrate:
    image: busybox
    command: sh -c 'echo 1 > /data/migrated'
    volumes: [dbdata:/data]
    network_mode: none
networks:
  front: {}
  back:
    internal: true
volumes:
  dbdata: {}
secrets:
  token:
    file: ./token.txt
`;
}

/** Writes the shop into `dir` (compose.yaml, token.txt, .env with the published port). */
export async function writeShop(dir: string, port: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'compose.yaml'), shopFile());
  await writeFile(join(dir, 'token.txt'), 'secret-token\n');
  await writeFile(join(dir, '.env'), `WEB_PORT=${port}\n`);
}
