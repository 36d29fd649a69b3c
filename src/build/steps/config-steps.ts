/**
 * The instructions that change only the image config (ENV, LABEL, CMD, ENTRYPOINT, EXPOSE, VOLUME,
 * USER, WORKDIR, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD, MAINTAINER): pure functions from the
 * stage's state and the instruction to the new config and the step's history text.
 */
import { posix } from 'node:path';
import type { ContainerConfig } from '../../oci/schemas.js';
import { checkFlags, dockerfileError, flagValue, type Instruction } from '../dockerfile/parse-dockerfile.js';
import { expandWord, expandWords, keyValuePairs, parseExecForm } from '../dockerfile/shell-words.js';
import { DEFAULT_SHELL, setEnv, stateLookup, type StageState } from '../stage-state.js';
import { parseGoDuration } from './go-duration.js';

export interface ConfigChange {
  config: ContainerConfig;
  /** The history entry's `created_by` (Docker's `/bin/sh -c #(nop) ` prefix). */
  createdBy: string;
  cmdSet?: boolean;
}

export const CONFIG_INSTRUCTIONS = new Set(['ENV', 'LABEL', 'CMD', 'ENTRYPOINT', 'EXPOSE', 'VOLUME', 'USER', 'WORKDIR', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER']);

const nop = (text: string): string => `/bin/sh -c #(nop) ${text}`;

/** Exec form as given, shell form run by the stage's SHELL. */
function commandOf(state: StageState, args: string): { command: string[]; text: string } {
  const exec = parseExecForm(args);
  if (exec !== undefined) return { command: exec, text: JSON.stringify(exec) };
  return { command: [...(state.config.Shell ?? DEFAULT_SHELL), args], text: `[${[...(state.config.Shell ?? DEFAULT_SHELL), args].map((a) => JSON.stringify(a)).join(' ')}]` };
}

/** Applies one config instruction. Throws invalid-argument naming the file and line. */
export function applyConfigInstruction(file: string, escape: string, state: StageState, instruction: Instruction): ConfigChange {
  const config: ContainerConfig = structuredClone(state.config);
  const lookup = stateLookup(state);
  const { keyword, args, line } = instruction;
  const fail = (message: string): never => dockerfileError(file, line, `${keyword}: ${message}`);
  if (keyword !== 'HEALTHCHECK') checkFlags(file, instruction, []);
  if (args.trim() === '' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT') fail('requires at least one argument');
  switch (keyword) {
    case 'ENV': {
      const pairs = keyValuePairs(args, lookup, escape, true);
      for (const [key, value] of pairs) {
        if (key === '') fail('names can not be blank');
        setEnv(config, key, value);
      }
      return { config, createdBy: nop(`ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`) };
    }
    case 'LABEL': {
      const pairs = keyValuePairs(args, lookup, escape, true);
      config.Labels = { ...(config.Labels ?? {}), ...Object.fromEntries(pairs) };
      return { config, createdBy: nop(`LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`) };
    }
    case 'MAINTAINER':
      return { config, createdBy: nop(`MAINTAINER ${args}`) };
    case 'CMD': {
      const { command, text } = commandOf(state, args);
      config.Cmd = command;
      return { config, createdBy: nop(`CMD ${text}`), cmdSet: true };
    }
    case 'ENTRYPOINT': {
      const { command, text } = commandOf(state, args);
      config.Entrypoint = args.trim() === '' ? null : command;
      if (!state.cmdSet) config.Cmd = null;
      return { config, createdBy: nop(`ENTRYPOINT ${text}`) };
    }
    case 'EXPOSE': {
      const ports = { ...(config.ExposedPorts ?? {}) };
      for (const port of expandWords(args, lookup, escape)) {
        if (!/^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/i.test(port)) fail(`invalid port "${port}"`);
        ports[port.includes('/') ? port.toLowerCase() : `${port}/tcp`] = {};
      }
      config.ExposedPorts = ports;
      return { config, createdBy: nop(`EXPOSE ${Object.keys(ports).join(' ')}`) };
    }
    case 'VOLUME': {
      const exec = parseExecForm(args);
      const paths = exec ?? expandWords(args, lookup, escape);
      const volumes = { ...(config.Volumes ?? {}) };
      for (const path of paths) {
        if (path.trim() === '') fail('VOLUME specified can not be an empty string');
        volumes[path] = {};
      }
      config.Volumes = volumes;
      return { config, createdBy: nop(`VOLUME [${paths.join(' ')}]`) };
    }
    case 'USER': {
      const user = expandWord(args.trim(), lookup, escape);
      config.User = user;
      return { config, createdBy: nop(`USER ${user}`) };
    }
    case 'WORKDIR': {
      const dir = expandWord(args.trim(), lookup, escape);
      config.WorkingDir = posix.resolve(config.WorkingDir ?? '/', dir);
      return { config, createdBy: nop(`WORKDIR ${config.WorkingDir}`) };
    }
    case 'STOPSIGNAL': {
      const signal = expandWord(args.trim(), lookup, escape);
      if (!/^(SIG)?[A-Z][A-Z0-9+-]*$|^\d+$/i.test(signal)) fail(`invalid signal "${signal}"`);
      config.StopSignal = signal;
      return { config, createdBy: nop(`STOPSIGNAL ${signal}`) };
    }
    case 'SHELL': {
      const exec = parseExecForm(args);
      if (exec === undefined || exec.length === 0) fail('requires the arguments to be in JSON form');
      config.Shell = exec;
      return { config, createdBy: nop(`SHELL ${JSON.stringify(exec)}`) };
    }
    case 'ONBUILD': {
      const trigger = args.trim();
      const word = (/^\S+/.exec(trigger)?.[0] ?? '').toUpperCase();
      if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(word)) fail(`${word} isn't allowed as an ONBUILD trigger`);
      config.OnBuild = [...(config.OnBuild ?? []), trigger];
      return { config, createdBy: nop(`ONBUILD ${trigger}`) };
    }
    case 'HEALTHCHECK':
      return healthcheck(file, instruction, config);
    default:
      return fail('not a config instruction');
  }
}

function healthcheck(file: string, instruction: Instruction, config: ContainerConfig): ConfigChange {
  const { args, line } = instruction;
  checkFlags(file, instruction, ['interval', 'timeout', 'start-period', 'start-interval', 'retries']);
  const word = (/^\S+/.exec(args.trim())?.[0] ?? '').toUpperCase();
  if (word === 'NONE') {
    if (args.trim().length > 4) dockerfileError(file, line, 'HEALTHCHECK NONE takes no arguments');
    config.Healthcheck = { Test: ['NONE'] };
    return { config, createdBy: nop('HEALTHCHECK NONE') };
  }
  if (word !== 'CMD') dockerfileError(file, line, 'HEALTHCHECK: expected NONE or CMD');
  const rest = args.trim().slice(3).trim();
  if (rest === '') dockerfileError(file, line, 'HEALTHCHECK CMD: a command is required');
  const exec = parseExecForm(rest);
  const duration = (name: string): number | undefined => {
    const value = flagValue(instruction, name);
    if (value === undefined) return undefined;
    const ns = parseGoDuration(value);
    if (ns === undefined || ns < 0) dockerfileError(file, line, `HEALTHCHECK: --${name}: invalid duration "${value}"`);
    if (ns !== 0 && ns < 1_000_000) dockerfileError(file, line, `HEALTHCHECK: --${name} cannot be less than 1ms`);
    return ns;
  };
  const retriesText = flagValue(instruction, 'retries');
  const retries = retriesText === undefined ? undefined : Number(retriesText);
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) dockerfileError(file, line, `HEALTHCHECK: --retries: invalid number "${retriesText}"`);
  const interval = duration('interval');
  const timeout = duration('timeout');
  const startPeriod = duration('start-period');
  const startInterval = duration('start-interval');
  config.Healthcheck = {
    Test: exec === undefined ? ['CMD-SHELL', rest] : ['CMD', ...exec],
    ...(interval !== undefined && { Interval: interval }),
    ...(timeout !== undefined && { Timeout: timeout }),
    ...(startPeriod !== undefined && { StartPeriod: startPeriod }),
    ...(startInterval !== undefined && { StartInterval: startInterval }),
    ...(retries !== undefined && { Retries: retries }),
  };
  return { config, createdBy: nop(`HEALTHCHECK ${JSON.stringify(config.Healthcheck)}`) };
}
