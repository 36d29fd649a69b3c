/**
 * Credentials in Docker's client config (`$DOCKER_CONFIG/config.json`, else ~/.docker/config.json):
 * `{"auths": {"host:5000": {"auth": base64("user:password")}}}`, Docker Hub under
 * `https://index.docker.io/v1/`; or in the credential helper that `credHelpers[host]` or
 * `credsStore` names (credential-helper.ts), `auths` then keeping an empty entry, as Docker does.
 * Other fields of the file are kept as they are when it is rewritten.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../base/atomic-file.js';
import { errnoCode, errors } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { RegistryCredentials } from '../wire/registry-auth.js';
import { DOCKER_HUB_AUTH_KEY, DOCKER_HUB_DOMAIN, registryDomain } from '../wire/registry-domain.js';
import { CredentialHelper } from './credential-helper.js';


/** The directory of Docker's client config: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG;
  return dir !== undefined && dir !== '' ? dir : join(homedir(), '.docker');
}

const authEntrySchema = z.object({ auth: z.string().optional(), username: z.string().optional(), password: z.string().optional() }).loose();
const configSchema = z.object({
  auths: z.record(z.string(), authEntrySchema).optional(),
  credsStore: z.string().optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
}).loose();
type ConfigFile = z.infer<typeof configSchema>;

/** `user:password` in base64, as config.json's `auth` holds it. */
export function encodeAuth(credentials: RegistryCredentials): string {
  return Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
}

/** The inverse of encodeAuth; the password may contain `:`. Undefined when it is not `user:password`. */
export function decodeAuth(auth: string): RegistryCredentials | undefined {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The config.json key for a registry domain. */
export function authKey(domain: string): string {
  const normalized = registryDomain(domain);
  return normalized === DOCKER_HUB_DOMAIN ? DOCKER_HUB_AUTH_KEY : normalized;
}

/**
 * Reads and writes the `auths` of one config.json. Not safe for concurrent writers (as Docker's).
 * Credential helpers run through the given runner (the berth process's, from its ports).
 */
export class CredentialStore {
  readonly path: string;

  constructor(private readonly runner: ProcessRunner, dir: string = dockerConfigDir(), private readonly env: NodeJS.ProcessEnv = process.env) {
    this.path = join(dir, 'config.json');
  }

  /** The helper that keeps this registry's credentials, if the config names one. */
  private helperFor(config: ConfigFile, domain: string): CredentialHelper | undefined {
    const wanted = registryDomain(domain);
    const specific = Object.entries(config.credHelpers ?? {}).find(([key]) => registryDomain(key) === wanted)?.[1];
    const name = specific ?? config.credsStore;
    return name === undefined || name === '' ? undefined : new CredentialHelper(name, this.runner, this.env);
  }

  private async write(config: ConfigFile): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(config, null, '\t')}\n`, 0o600);
  }

  private async read(): Promise<ConfigFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return {};
      throw err;
    }
    if (text.trim() === '') return {};
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw errors.invalidArgument('invalid-docker-config', `${this.path}: not valid JSON`, { cause });
    }
    const parsed = configSchema.safeParse(json);
    if (!parsed.success) throw errors.invalidArgument('invalid-docker-config', `${this.path}: auths: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  /** The stored credentials of a registry (keys written as `https://host/` are found too). */
  async get(domain: string): Promise<RegistryCredentials | undefined> {
    const config = await this.read();
    const helper = this.helperFor(config, domain);
    if (helper) return helper.get(authKey(domain));
    const auths = config.auths ?? {};
    const wanted = registryDomain(domain);
    for (const [key, entry] of Object.entries(auths)) {
      if (registryDomain(key) !== wanted) continue;
      if (entry.auth !== undefined && entry.auth !== '') return decodeAuth(entry.auth);
      if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
    }
    return undefined;
  }

  async set(domain: string, credentials: RegistryCredentials): Promise<void> {
    const config = await this.read();
    const auths = Object.fromEntries(Object.entries(config.auths ?? {}).filter(([key]) => registryDomain(key) !== registryDomain(domain)));
    const helper = this.helperFor(config, domain);
    if (helper) await helper.store(authKey(domain), credentials);
    auths[authKey(domain)] = helper ? {} : { auth: encodeAuth(credentials) };
    await this.write({ ...config, auths });
  }

  /** Removes a registry's credentials; returns whether there were any. */
  async remove(domain: string): Promise<boolean> {
    const config = await this.read();
    const helper = this.helperFor(config, domain);
    const hadHelperEntry = helper === undefined ? false : (await helper.get(authKey(domain))) !== undefined;
    if (helper && hadHelperEntry) await helper.erase(authKey(domain));
    const before = Object.entries(config.auths ?? {});
    const kept = before.filter(([key]) => registryDomain(key) !== registryDomain(domain));
    if (kept.length === before.length) return hadHelperEntry;
    await this.write({ ...config, auths: Object.fromEntries(kept) });
    return true;
  }
}
