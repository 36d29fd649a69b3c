/**
 * The CNCF distribution registry (Debian's docker-registry, 2.8) as a peer for tests: started
 * with its own config on 127.0.0.1 and an ephemeral port (read back from its log), filesystem
 * storage in a temp dir, optionally htpasswd (bcrypt) auth. Never the packaged config.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import type { TokenAuthConfig } from './registry-token-server.js';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface CncfRegistryOptions {
  /** Require these credentials (htpasswd, basic auth). */
  user?: { username: string; password: string };
  /** Require bearer tokens from this token server (registry-token-server.ts). */
  token?: TokenAuthConfig;
  /** Keep the registry's storage here, across runs (benchmarks); default: inside the temp dir. */
  storageDir?: string;
}

/** Why registry tests cannot run here, or false. */
export function needsRegistry(): string | false {
  return existsSync(REGISTRY_BIN) ? false : 'no docker-registry (apt-get install docker-registry)';
}

const DIR_PREFIX = 'berth-cncf-registry-';

/**
 * Ends registries that a killed earlier test run left (orphans: parent pid 1, serving a config in
 * one of these temp dirs) and removes their dirs. Registries of live test runs are left alone.
 */
export async function sweepOrphanRegistries(): Promise<void> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const config = cmdline[2] ?? '';
    if (cmdline[0] !== REGISTRY_BIN || cmdline[1] !== 'serve' || !config.startsWith(join(tmpdir(), DIR_PREFIX))) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== 1) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // already gone
    }
    await rm(join(config, '..'), { recursive: true, force: true });
  }
}

export class CncfRegistry {
  private constructor(
    private readonly child: ChildProcess,
    /** `127.0.0.1:PORT`: the registry part of references. */
    readonly host: string,
    readonly dir: string,
    readonly log: string[],
    /** The registry's storage root. */
    readonly storage: string,
  ) {}

  static async start(options: CncfRegistryOptions = {}): Promise<CncfRegistry> {
    await sweepOrphanRegistries();
    const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
    const lines = [
      'version: 0.1',
      'log:',
      '  level: info',
      '  accesslog: {disabled: true}',
      'storage:',
      `  filesystem: {rootdirectory: ${options.storageDir ?? join(dir, 'data')}}`,
      '  delete: {enabled: true}',
      'http:',
      '  addr: 127.0.0.1:0',
      '  secret: berth-test-secret',
    ];
    if (options.user) {
      const hash = bcrypt.hashSync(options.user.password, 5);
      await writeFile(join(dir, 'htpasswd'), `${options.user.username}:${hash}\n`);
      lines.push('auth:', '  htpasswd:', '    realm: berth-test', `    path: ${join(dir, 'htpasswd')}`);
    }
    if (options.token) {
      const t = options.token;
      lines.push('auth:', '  token:', `    realm: ${t.realm}`, `    service: ${t.service}`, `    issuer: ${t.issuer}`, `    rootcertbundle: ${t.rootCertBundle}`);
    }
    await writeFile(join(dir, 'config.yml'), `${lines.join('\n')}\n`);
    const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    const host = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`docker-registry did not start: ${log.join('')}`)); }, 30_000);
      const onData = (chunk: Buffer): void => {
        log.push(chunk.toString());
        const match = /listening on (127\.0\.0\.1:\d+)/.exec(log.join(''));
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`docker-registry exited ${code}: ${log.join('')}`));
      });
    });
    return new CncfRegistry(child, host, dir, log, options.storageDir ?? join(dir, 'data'));
  }

  /** Where the registry keeps a blob's bytes (to corrupt or remove it in a test). */
  blobDataPath(digest: string): string {
    const hex = digest.slice(digest.indexOf(':') + 1);
    return join(this.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
