/**
 * The `attrs` of each json-file line, as dockerd's logger.Info.ExtraAttributes and ParseLogTag
 * make them: the container's labels named by `labels` (or matching `labels-regex`), its
 * environment variables named by `env` (or matching `env-regex`), and `tag` rendered from its
 * template. Pure. Throws invalid-argument (`invalid-log-opt`) for a bad pattern or template.
 */
import { errors } from '../../base/errors.js';

/** What a tag template and the attributes may refer to. */
export interface LogInfo {
  /** Full container id. */
  containerId: string;
  /** Without the leading `/`. */
  containerName: string;
  /** `sha256:…`. */
  imageId: string;
  /** The image reference as the user gave it. */
  imageName: string;
  /** Labels of the image and the container (the container's win). */
  labels: Record<string, string>;
  /** `NAME=value`, the image's and the container's merged. */
  env: readonly string[];
  /** Entrypoint and arguments. */
  command: readonly string[];
  /** The daemon's host name. */
  hostname: string;
}

const TAG_FIELDS: Record<string, (info: LogInfo) => string> = {
  ID: (info) => info.containerId.slice(0, 12),
  FullID: (info) => info.containerId,
  Name: (info) => info.containerName,
  ImageID: (info) => info.imageId.replace(/^sha256:/, '').slice(0, 12),
  ImageFullID: (info) => info.imageId,
  ImageName: (info) => info.imageName,
  DaemonName: () => 'docker',
  Hostname: (info) => info.hostname,
  Command: (info) => info.command.join(' '),
};

/** Renders a tag template (`{{.Name}}/{{.ID}}`: field references only). */
export function renderTag(template: string, info: LogInfo): string {
  return template.replace(/\{\{(.*?)\}\}|\{\{/g, (whole, inner: string | undefined) => {
    const field = /^\s*\.(\w+)\s*$/.exec(inner ?? '')?.[1];
    const value = field === undefined ? undefined : TAG_FIELDS[field];
    if (value === undefined) throw errors.invalidArgument('invalid-log-opt', `template: log-tag: cannot evaluate ${JSON.stringify(whole)} (fields: ${Object.keys(TAG_FIELDS).join(', ')})`);
    return value(info);
  });
}

function pattern(key: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (cause) {
    throw errors.invalidArgument('invalid-log-opt', `${key}: error parsing regexp: ${source}`, { cause });
  }
}

/** Checks the patterns and the template of the options (at create, before any line is written). */
export function checkLogAttributeOptions(options: Record<string, string>): void {
  for (const key of ['labels-regex', 'env-regex'] as const) {
    const source = options[key];
    if (source !== undefined && source !== '') pattern(key, source);
  }
  const tag = options.tag;
  if (tag !== undefined && tag !== '') {
    renderTag(tag, { containerId: '', containerName: '', imageId: '', imageName: '', labels: {}, env: [], command: [], hostname: '' });
  }
}

/** The attributes of a json-file line (empty: none are written). */
export function logAttributes(options: Record<string, string>, info: LogInfo): Record<string, string> {
  const attrs: Record<string, string> = {};
  const names = (key: string): string[] => (options[key] ?? '').split(',').filter((n) => n !== '');
  for (const name of names('labels')) {
    const value = info.labels[name];
    if (value !== undefined) attrs[name] = value;
  }
  const labelsRegex = options['labels-regex'];
  if (labelsRegex !== undefined && labelsRegex !== '') {
    const re = pattern('labels-regex', labelsRegex);
    for (const [name, value] of Object.entries(info.labels)) if (re.test(name)) attrs[name] = value;
  }
  const env = new Map<string, string>();
  for (const entry of info.env) {
    const at = entry.indexOf('=');
    if (at > 0) env.set(entry.slice(0, at), entry.slice(at + 1));
  }
  for (const name of names('env')) {
    const value = env.get(name);
    if (value !== undefined) attrs[name] = value;
  }
  const envRegex = options['env-regex'];
  if (envRegex !== undefined && envRegex !== '') {
    const re = pattern('env-regex', envRegex);
    for (const [name, value] of env) if (re.test(name)) attrs[name] = value;
  }
  const tag = options.tag;
  if (tag !== undefined && tag !== '') attrs.tag = renderTag(tag, info);
  return attrs;
}
