/** pull, push and login's check on the state root of `--root` / BERTH_ROOT (cli/commands/registry-actions.ts decides). */
import { errors } from '../../base/errors.js';
import { formatReference, parseReference, repositoryName } from '../../oci/reference.js';
import type { InProcessCommands } from '../../cli/berth-ports.js';
import { withImages } from './local-images.js';

export const pullInProcess: InProcessCommands['pull'] = async (globals, name, options) => {
  const { allTags, ...pullOptions } = options;
  await withImages(globals, async (service) => {
    if (allTags) await service.pullAllTags(name, pullOptions);
    else await service.pull(name, pullOptions);
  }, { quiet: true });
};

export const pushInProcess: InProcessCommands['push'] = async (globals, name, options) => {
  const { quiet, everyTag, ...pushOptions } = options;
  const ref = parseReference(name);
  await withImages(globals, async (service) => {
    const repo = repositoryName(ref);
    const names = everyTag ? service.list().flatMap((i) => i.names).filter((n) => n.startsWith(`${repo}:`)).sort() : [formatReference(ref)];
    if (names.length === 0) throw errors.notFound('image-not-found', `An image does not exist locally with the tag: ${name}`);
    for (const target of names) {
      const pushed = await service.push(target, pushOptions);
      if (quiet) process.stdout.write(`${pushed.digest}\n`);
    }
  }, { quiet: true });
};

export const checkCredentialsInProcess: InProcessCommands['checkCredentials'] = async (domain, credentials, insecureRegistries) => {
  const { RegistryClient } = await import('../../images/distribution/registry-client.js');
  await new RegistryClient(domain, { credentials, insecureRegistries }).checkCredentials();
};
