/**
 * `service update --network-add|--network-rm`, `--secret-add|--secret-rm` and
 * `--config-add|--config-rm`, as the docker CLI's: an added network (`NAME` or
 * `name=NAME,alias=A`) or file (as `service create --secret|--config`) replaces one of the same
 * name; a removed one goes by name or id (the caller resolves network names to the ids a spec
 * holds). Pure; a value that does not parse, or removes nothing, throws invalid-argument
 * (`invalid-flag`) naming the flag.
 */
import type { SwarmServiceSpec } from '../../wire/swarm.js';
import type { SwarmFileReference } from '../../wire/swarm-secrets.js';
import type { OptionSpec } from '../args/command-spec.js';
import { serviceFileReference } from './service-file-flags.js';
import { badFlag as bad } from './service-flag-values.js';
import { serviceNetwork } from './service-flags.js';

export interface AttachFlags {
  networkAdd: string[];
  networkRm: string[];
  secretAdd: string[];
  secretRm: string[];
  configAdd: string[];
  configRm: string[];
}

export const ATTACH_UPDATE_OPTIONS: OptionSpec[] = [
  { flags: '--network-add <network>', description: 'attach the tasks to a network (NAME or name=NAME,alias=ALIAS); repeatable', repeat: true },
  { flags: '--network-rm <network>', description: 'detach the tasks from a network (name or id); repeatable', repeat: true },
  { flags: '--secret-add <secret>', description: 'give the tasks a secret (as service create --secret); repeatable', repeat: true },
  { flags: '--secret-rm <secret>', description: 'take a secret away (name or id); repeatable', repeat: true },
  { flags: '--config-add <config>', description: 'give the tasks a config (as service create --config); repeatable', repeat: true },
  { flags: '--config-rm <config>', description: 'take a config away (name or id); repeatable', repeat: true },
];

type Networks = NonNullable<SwarmServiceSpec['TaskTemplate']['Networks']>;

/** The task template's networks after the flags; `ids` gives the id a removed network's name stands for. */
export function attachedNetworks(current: Networks, flags: AttachFlags, ids: ReadonlyMap<string, string>): Networks {
  let next = [...current];
  for (const value of flags.networkRm) {
    const id = ids.get(value) ?? value;
    const kept = next.filter((n) => n.Target !== value && n.Target !== id);
    if (kept.length === next.length) throw bad('--network-rm', value, 'the service is not on this network');
    next = kept;
  }
  for (const value of flags.networkAdd) {
    const added = serviceNetwork(value);
    const id = ids.get(added.Target) ?? added.Target;
    next = [...next.filter((n) => n.Target !== added.Target && n.Target !== id), added];
  }
  return next;
}

/** The container's secrets or configs after the flags. */
export function attachedFiles(kind: 'secret' | 'config', current: readonly SwarmFileReference[], add: readonly string[], remove: readonly string[]): SwarmFileReference[] {
  const nameOf = (ref: SwarmFileReference): string | undefined => (kind === 'secret' ? ref.SecretName : ref.ConfigName);
  const idOf = (ref: SwarmFileReference): string | undefined => (kind === 'secret' ? ref.SecretID : ref.ConfigID);
  let next = [...current];
  for (const value of remove) {
    const kept = next.filter((ref) => nameOf(ref) !== value && idOf(ref) !== value);
    if (kept.length === next.length) throw bad(`--${kind}-rm`, value, `the service has no such ${kind}`);
    next = kept;
  }
  for (const value of add) {
    const added = serviceFileReference(kind, value);
    const name = kind === 'secret' ? added.SecretName : added.ConfigName;
    next = [...next.filter((ref) => nameOf(ref) !== name), added];
  }
  return next;
}
