/**
 * A Docker ContainerSpec's `Secrets` and `Configs` (what `docker service create --secret/--config`
 * sends) as the cluster's file references, and back for `service inspect`. A reference names its
 * object by id or name (the manager resolves it); the file's name defaults to the object's name
 * (`/run/secrets/<name>` for a secret, `/<name>` for a config), owner 0:0, mode 0444.
 */
import type { z } from 'zod';
import { errors } from '../base/errors.js';
import type { ContainerSpec, FileObjectKind, FileReference } from '../cluster/objects/index.js';
import type { configReferenceSchema, secretReferenceSchema, SwarmFileReference } from '../wire/swarm-secrets.js';

type SecretRef = z.infer<typeof secretReferenceSchema>;
type ConfigRef = z.infer<typeof configReferenceSchema>;

const DEFAULT_MODE = 0o444;

function reference(kind: FileObjectKind, id: string | null | undefined, name: string | null | undefined, file: SecretRef['File'], field: string): Record<string, unknown> {
  const objectName = name ?? '';
  if (objectName === '' && (id ?? '') === '') {
    const which = kind === 'secret' ? 'SecretName' : 'ConfigName';
    throw errors.invalidArgument('invalid-service-spec', `${field}.${which}: a ${kind} name or id is required`, { details: { field: `${field}.${which}` } });
  }
  return {
    id: id ?? '',
    name: objectName === '' ? id : objectName,
    target: file?.Name ? file.Name : objectName === '' ? id : objectName,
    uid: file?.UID ? file.UID : '0',
    gid: file?.GID ? file.GID : '0',
    mode: file?.Mode ?? DEFAULT_MODE,
  };
}

/** The cluster's `secrets` and `configs` of a ContainerSpec body (validated later with the whole spec). */
export function fileReferencesFromBody(secrets: readonly SecretRef[] | null | undefined, configs: readonly ConfigRef[] | null | undefined): { secrets?: Record<string, unknown>[]; configs?: Record<string, unknown>[] } {
  const secretRefs = (secrets ?? []).map((ref, i) => reference('secret', ref.SecretID, ref.SecretName, ref.File, `TaskTemplate.ContainerSpec.Secrets[${i}]`));
  const configRefs = (configs ?? []).map((ref, i) => {
    const field = `TaskTemplate.ContainerSpec.Configs[${i}]`;
    if (ref.Runtime != null) throw errors.invalidArgument('unsupported-service-field', `${field}.Runtime: credential specs are not supported`, { details: { field: `${field}.Runtime` } });
    return reference('config', ref.ConfigID, ref.ConfigName, ref.File, field);
  });
  return { ...(secretRefs.length > 0 ? { secrets: secretRefs } : {}), ...(configRefs.length > 0 ? { configs: configRefs } : {}) };
}

function view(kind: FileObjectKind, ref: FileReference): SwarmFileReference {
  const file = { Name: ref.target, UID: ref.uid, GID: ref.gid, Mode: ref.mode };
  return kind === 'secret' ? { File: file, SecretID: ref.id, SecretName: ref.name } : { File: file, ConfigID: ref.id, ConfigName: ref.name };
}

/** A container spec's references as Docker's (left out when empty, as dockerd's omitempty). Pure. */
export function fileReferencesView(container: Pick<ContainerSpec, 'secrets' | 'configs'>): { Secrets?: SwarmFileReference[]; Configs?: SwarmFileReference[] } {
  const { secrets = [], configs = [] } = container;
  return {
    ...(secrets.length > 0 ? { Secrets: secrets.map((ref) => view('secret', ref)) } : {}),
    ...(configs.length > 0 ? { Configs: configs.map((ref) => view('config', ref)) } : {}),
  };
}
