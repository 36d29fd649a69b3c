/** pull, push, login, logout: through berthd, or in this process with --root (see distribution-commands.ts). */
import type { IncomingMessage } from 'node:http';
import { errors } from '../../base/errors.js';
import { readJsonMessages } from '../../client/image-client.js';
import { CredentialStore } from '../../client/docker-credentials.js';
import { encodeRegistryAuthHeader, type RegistryCredentials } from '../../wire/registry-auth.js';
import { DOCKER_HUB_DOMAIN, registryDomain } from '../../wire/registry-domain.js';
import { parsePlatform } from '../../oci/platform.js';
import { formatReference, parseReference, repositoryName } from '../../oci/reference.js';
import type { GlobalOptions } from '../args/command-spec.js';
import { ports } from '../berth-ports.js';
import { runsInProcess, withClient } from '../context.js';
import { ProgressRenderer } from '../progress-renderer.js';
import { readSecret, readStdin } from './registry-prompt.js';
import type { LoginFlags, PullFlags, PushFlags } from './distribution-flags.js';
import { compressionOfFlags, compressionQuery } from './compression-flags.js';

function renderer(quiet: boolean | undefined): (message: object) => void {
  if (quiet === true) return () => undefined;
  const out = new ProgressRenderer(process.stdout, process.stdout.isTTY, process.stdout.columns);
  return (message) => { out.render(message); };
}

/** Renders a daemon's progress stream; an error line throws (internal: the kind did not travel). */
async function follow(response: IncomingMessage, show: (message: object) => void): Promise<void> {
  for await (const message of readJsonMessages(response)) {
    const failure = message.error ?? message.errorDetail?.message;
    if (failure !== undefined) throw errors.internal('daemon-stream-error', failure);
    if (message.status !== undefined) show(message);
  }
}

function daemonOnly(flags: { insecureRegistry: string[] }): void {
  if (flags.insecureRegistry.length > 0) {
    throw errors.failedPrecondition('insecure-registry-needs-root', '--insecure-registry applies with --root; for berthd, start it with --insecure-registry');
  }
}

/** Docker's config.json of this user, its credential helpers run by this process's runner. */
function credentialStore(): CredentialStore {
  return new CredentialStore(ports().runner);
}

async function credentialsFor(domain: string): Promise<RegistryCredentials | undefined> {
  return credentialStore().get(domain);
}

async function registryAuth(domain: string): Promise<string | undefined> {
  const credentials = await credentialsFor(domain);
  return credentials === undefined ? undefined : encodeRegistryAuthHeader(credentials, domain);
}

/** Whether the text names a tag (`a:1`, `host:5000/a:1`), not only a repository. */
function hasTag(text: string): boolean {
  const name = text.split('@')[0] ?? text;
  return name.lastIndexOf(':') > name.lastIndexOf('/');
}

export async function pull(globals: GlobalOptions, name: string, flags: PullFlags): Promise<void> {
  const ref = parseReference(name);
  const platform = flags.platform === undefined ? undefined : parsePlatform(flags.platform);
  if (flags.platform !== undefined && platform === undefined) throw errors.invalidArgument('invalid-platform', `--platform: "${flags.platform}" is not os/arch[/variant]`);
  const allTags = flags.allTags === true;
  if (allTags && hasTag(name)) throw errors.invalidArgument('tag-with-all-tags', `${name}: --all-tags takes a repository name without a tag`);
  const show = renderer(flags.quiet);
  if (runsInProcess(globals)) {
    const credentials = await credentialsFor(ref.domain);
    await ports().inProcess.pull(globals, name, {
      insecureRegistries: flags.insecureRegistry, onProgress: show, allTags,
      ...(credentials !== undefined && { credentials }), ...(platform !== undefined && { platform }),
    });
  } else {
    daemonOnly(flags);
    const auth = await registryAuth(ref.domain);
    await withClient(globals, async (client) => {
      const response = await client.images.pull(repositoryName(ref), allTags ? undefined : ref.digest ?? ref.tag, {
        ...(auth !== undefined && { registryAuth: auth }), ...(flags.platform !== undefined && { platform: flags.platform }),
      });
      await follow(response, show);
    });
  }
  process.stdout.write(`${allTags ? repositoryName(ref) : formatReference(ref)}\n`);
}

export async function push(globals: GlobalOptions, name: string, flags: PushFlags): Promise<void> {
  const ref = parseReference(name);
  if (ref.digest !== undefined) throw errors.invalidArgument('push-needs-tag', `${name}: push a name with a tag, not a digest`);
  const compression = compressionOfFlags(flags);
  const show = renderer(flags.quiet);
  if (runsInProcess(globals)) {
    const credentials = await credentialsFor(ref.domain);
    await ports().inProcess.push(globals, name, {
      insecureRegistries: flags.insecureRegistry, onProgress: show, quiet: flags.quiet === true, everyTag: !hasTag(name),
      ...(credentials !== undefined && { credentials }), ...(compression !== undefined && { compression }),
    });
    return;
  }
  daemonOnly(flags);
  const auth = await registryAuth(ref.domain);
  await withClient(globals, async (client) => {
    const response = await client.images.push(repositoryName(ref), hasTag(name) ? ref.tag : undefined, {
      ...(auth !== undefined && { registryAuth: auth }), ...compressionQuery(compression),
    });
    await follow(response, show);
  });
}

export async function login(globals: GlobalOptions, registry: string | undefined, flags: LoginFlags): Promise<void> {
  const domain = registryDomain(registry ?? DOCKER_HUB_DOMAIN);
  if (flags.password !== undefined && flags.passwordStdin === true) throw errors.invalidArgument('conflicting-options', '--password and --password-stdin are mutually exclusive');
  let username = flags.username;
  if (flags.passwordStdin === true && (username === undefined || username === '')) throw errors.invalidArgument('missing-username', 'Must provide --username with --password-stdin');
  if (username === undefined || username === '') username = await readSecret('Username: ', false);
  let password = flags.password;
  if (flags.passwordStdin === true) password = (await readStdin()).replace(/\r?\n$/, '');
  password ??= await readSecret('Password: ', true);
  if (username === '' || password === '') throw errors.invalidArgument('missing-credentials', 'a username and a password are required');
  const credentials = { username, password };
  if (runsInProcess(globals)) {
    await ports().inProcess.checkCredentials(domain, credentials, flags.insecureRegistry);
  } else {
    daemonOnly(flags);
    await withClient(globals, (client) => client.images.auth({ username, password, serveraddress: domain }));
  }
  await credentialStore().set(domain, credentials);
  process.stdout.write('Login Succeeded\n');
}

export async function logout(registry: string | undefined): Promise<void> {
  const domain = registryDomain(registry ?? DOCKER_HUB_DOMAIN);
  const removed = await credentialStore().remove(domain);
  process.stdout.write(removed ? `Removing login credentials for ${domain}\n` : `Not logged in to ${domain}\n`);
}
