import type { ImageRecord } from '../images/image-record.js';
import type { ContainerConfig } from '../oci/schemas.js';
import type { VariableLookup } from './dockerfile/shell-words.js';

/** Where a stage is between two steps. */
export interface StageState {
  /** The image of the last step; undefined for `FROM scratch` before any step made one. */
  image: ImageRecord | undefined;
  config: ContainerConfig;
  /** ARGs declared in this stage: name → value (undefined: declared without a value). */
  args: Map<string, string | undefined>;
  /** Whether CMD was set in this stage (ENTRYPOINT then keeps it). */
  cmdSet: boolean;
}

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

export function envValue(config: ContainerConfig, name: string): string | undefined {
  for (const entry of config.Env ?? []) {
    const eq = entry.indexOf('=');
    if ((eq < 0 ? entry : entry.slice(0, eq)) === name) return eq < 0 ? '' : entry.slice(eq + 1);
  }
  return undefined;
}

/** ENV wins over ARG of the same name, as in Docker. */
export function stateLookup(state: StageState): VariableLookup {
  return (name) => envValue(state.config, name) ?? state.args.get(name);
}

/** ARG values a RUN sees as environment (those ENV does not override), sorted by name. */
export function runArgs(state: StageState): [string, string][] {
  return [...state.args]
    .filter((entry): entry is [string, string] => entry[1] !== undefined && envValue(state.config, entry[0]) === undefined)
    .sort((a, b) => a[0].localeCompare(b[0]));
}

export function setEnv(config: ContainerConfig, key: string, value: string): void {
  const env = [...(config.Env ?? [])];
  const at = env.findIndex((e) => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e) === key);
  if (at >= 0) env[at] = `${key}=${value}`;
  else env.push(`${key}=${value}`);
  config.Env = env;
}
