import { errors } from '../base/errors.js';
import type { ContainerConfig } from '../oci/schemas.js';

/** Instructions `import --change` accepts, as Docker does. */
const SUPPORTED = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL'] as const;

function invalid(change: string, why: string): never {
  throw errors.invalidArgument('invalid-change', `--change "${change}": ${why}`);
}

/** A JSON string array (exec form), or undefined if `text` is not one. */
function execForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // not JSON: shell form
  }
  return undefined;
}

/** A double-quoted value: its escapes are JSON's (`\"`, `\\`, `\n`, `\u00e9`); any other is refused. */
function quoted(change: string, text: string): string {
  try {
    return JSON.parse(text) as string;
  } catch {
    return invalid(change, `bad quoted value ${text}`);
  }
}

/** `KEY=VALUE KEY2="a b"` or the legacy `KEY VALUE` form. */
function keyValues(change: string, text: string): [string, string][] {
  const pairs: [string, string][] = [];
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  if (!text.includes('=')) {
    const space = text.search(/\s/);
    if (space < 0) invalid(change, 'expected KEY=VALUE');
    return [[text.slice(0, space), text.slice(space + 1).trim()]];
  }
  for (const match of text.matchAll(re)) {
    const key = match[1] ?? '';
    let value = match[2] ?? '';
    if (value.startsWith('"')) value = quoted(change, value);
    else if (value.startsWith("'")) value = value.slice(1, -1);
    pairs.push([key, value]);
  }
  if (pairs.length === 0) invalid(change, 'expected KEY=VALUE');
  return pairs;
}

/**
 * Applies Dockerfile-style instructions (`CMD ["sh"]`, `ENV A=b`, `EXPOSE 80/tcp`, …) to an image's
 * container config and returns the new config. Throws invalid-argument naming the change.
 */
export function applyConfigChanges(base: ContainerConfig, changes: readonly string[]): ContainerConfig {
  const config: ContainerConfig = structuredClone(base);
  for (const change of changes) {
    const match = /^\s*(\w+)\s+([\s\S]*?)\s*$/.exec(change);
    if (!match?.[1] || match[2] === undefined) invalid(change, 'expected INSTRUCTION ARGUMENTS');
    const instruction = match[1].toUpperCase();
    const args = match[2];
    if (!(SUPPORTED as readonly string[]).includes(instruction)) invalid(change, `${instruction} is not one of ${SUPPORTED.join(', ')}`);
    const exec = execForm(args);
    switch (instruction) {
      case 'CMD':
        config.Cmd = exec ?? ['/bin/sh', '-c', args];
        break;
      case 'ENTRYPOINT':
        config.Entrypoint = exec ?? ['/bin/sh', '-c', args];
        break;
      case 'ENV': {
        const env = [...(config.Env ?? [])];
        for (const [key, value] of keyValues(change, args)) {
          const at = env.findIndex((e) => e.split('=')[0] === key);
          if (at >= 0) env[at] = `${key}=${value}`;
          else env.push(`${key}=${value}`);
        }
        config.Env = env;
        break;
      }
      case 'LABEL':
        config.Labels = { ...(config.Labels ?? {}), ...Object.fromEntries(keyValues(change, args)) };
        break;
      case 'EXPOSE': {
        const ports = { ...(config.ExposedPorts ?? {}) };
        for (const port of args.split(/\s+/)) {
          if (!/^\d{1,5}(\/(tcp|udp|sctp))?$/.test(port)) invalid(change, `bad port "${port}"`);
          ports[port.includes('/') ? port : `${port}/tcp`] = {};
        }
        config.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const volumes = { ...(config.Volumes ?? {}) };
        for (const path of exec ?? args.split(/\s+/)) volumes[path] = {};
        config.Volumes = volumes;
        break;
      }
      case 'ONBUILD':
        config.OnBuild = [...(config.OnBuild ?? []), args];
        break;
      case 'USER':
        config.User = args;
        break;
      case 'WORKDIR':
        if (!args.startsWith('/')) invalid(change, 'WORKDIR must be an absolute path');
        config.WorkingDir = args;
        break;
      case 'STOPSIGNAL':
        config.StopSignal = args;
        break;
    }
  }
  return config;
}
