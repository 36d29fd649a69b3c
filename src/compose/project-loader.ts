/**
 * Loads a project as docker compose v2 does: the files (`-f`, else COMPOSE_FILE, else
 * compose.yaml / docker-compose.yml and its override in the working folder), the `.env` of the
 * project folder (or `--env-file`) under the process's environment, each file interpolated,
 * checked against the schema and its service values parsed, its `include`s and `extends`
 * resolved, then the files merged in order and normalized. Every error names the file (and the line and field where one is known).
 */
import { access, readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';
import { componentLogger } from '../base/logger.js';
import { ComposeFile } from './compose-file.js';
import { parseEnvFile } from './env-file.js';
import { resolveServices } from './extends.js';
import type { Environment } from './interpolate.js';
import { mergeProjects, type RawMap } from './merge.js';
import { normalizeProject } from './normalize-project.js';
import type { ComposeProject } from './project-model.js';
import { checkSchema } from './schema-check.js';
import { hostPath } from './short-syntax.js';
import { checkValues } from './value-check.js';

const log = componentLogger('compose');

export interface LoadOptions {
  /** `-f` files in order (relative to `cwd`); empty: COMPOSE_FILE or the default names. */
  files: string[];
  projectName?: string;
  projectDirectory?: string;
  /** `--env-file`s; empty: `<project dir>/.env` when present. */
  envFiles: string[];
  /** `--profile`s (COMPOSE_PROFILES when empty). */
  profiles: string[];
  /** The process's environment. */
  env: Environment;
  cwd: string;
}

export interface LoadedProject {
  project: ComposeProject;
  /** Things the user should know (keys berth ignores). */
  warnings: string[];
}

const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDES: Record<string, string> = {
  'compose.yaml': 'compose.override.yaml', 'compose.yml': 'compose.override.yml',
  'docker-compose.yml': 'docker-compose.override.yml', 'docker-compose.yaml': 'docker-compose.override.yaml',
};

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);
const isMap = (value: unknown): value is RawMap => value !== null && typeof value === 'object' && !Array.isArray(value);

async function findFiles(options: LoadOptions): Promise<string[]> {
  if (options.files.length > 0) return options.files.map((f) => resolve(options.cwd, f));
  const fromEnv = options.env.COMPOSE_FILE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv.split(options.env.COMPOSE_PATH_SEPARATOR ?? ':').map((f) => resolve(options.cwd, f));
  for (let dir = options.cwd; ; dir = dirname(dir)) {
    for (const name of DEFAULT_FILES) {
      const path = resolve(dir, name);
      if (!(await exists(path))) continue;
      const override = resolve(dir, OVERRIDES[name] ?? '');
      return (await exists(override)) ? [path, override] : [path];
    }
    if (dirname(dir) === dir) break;
  }
  throw errors.notFound('compose-no-file', `no compose file found in ${options.cwd} or above (looked for ${DEFAULT_FILES.join(', ')})`);
}

async function dotEnv(options: LoadOptions, projectDir: string): Promise<Record<string, string>> {
  const files = options.envFiles.length > 0 ? options.envFiles.map((f) => resolve(options.cwd, f)) : [resolve(projectDir, '.env')];
  const result: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      // The project's .env is optional (none given): without it, no defaults. One that is there
      // but cannot be read is skipped too, with a warning.
      if (options.envFiles.length === 0) {
        if (errnoCode(err) !== 'ENOENT') log.warn('reading the project\'s .env failed: it is not used', { err, path: file });
        continue;
      }
      throw errors.notFound('compose-env-file', `env file ${file} not found`, { cause: err });
    }
    Object.assign(result, parseEnvFile(text, file, { ...options.env, ...result }));
  }
  return result;
}

/** Project names as docker compose accepts them: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}

class FileSet {
  private readonly cache = new Map<string, Promise<ComposeFile>>();

  constructor(private readonly env: Environment) {}

  /** Loads a file once per load, checked against the schema and then its services' values (value-check.ts). */
  file(path: string): Promise<ComposeFile> {
    let pending = this.cache.get(path);
    if (pending === undefined) {
      pending = ComposeFile.load(path, this.env).then((file) => {
        checkSchema(file);
        checkValues(file);
        return file;
      });
      this.cache.set(path, pending);
    }
    return pending;
  }

  /** One file's data: includes merged in, services canonical with `extends` resolved. */
  async data(path: string, chain: string[] = []): Promise<RawMap> {
    if (chain.includes(path)) throw errors.invalidArgument('compose-include-cycle', `${path}: include makes a cycle: ${[...chain, path].join(' -> ')}`);
    const file = await this.file(path);
    const own: RawMap = isMap(file.data) ? { ...file.data } : {};
    own.services = await resolveServices(file, (p) => this.file(p));
    const includes = Array.isArray(own.include) ? own.include : [];
    delete own.include;
    let result = own;
    for (const [index, entry] of includes.entries()) {
      const paths = typeof entry === 'string' ? [entry] : isMap(entry) ? (Array.isArray(entry.path) ? entry.path.map(String) : [String(entry.path)]) : [];
      if (isMap(entry) && (entry.env_file !== undefined || entry.project_directory !== undefined)) {
        throw errors.failedPrecondition('compose-include-options', `${file.where(['include', index])}: env_file and project_directory of an include are not supported by berth yet`);
      }
      if (paths.length === 0) throw errors.invalidArgument('compose-include', `${file.where(['include', index])} needs a path`);
      let included: RawMap = {};
      for (const p of paths) included = mergeProjects(included, await this.data(hostPath(p, dirname(path)), [...chain, path]));
      result = addIncluded(result, included, file.where(['include', index]));
    }
    return result;
  }
}

/** Adds an included project's resources; a name defined on both sides is a conflict. */
function addIncluded(base: RawMap, included: RawMap, where: string): RawMap {
  const out: RawMap = { ...base };
  for (const section of ['services', 'networks', 'volumes', 'secrets', 'configs']) {
    const mine = isMap(base[section]) ? base[section] : {};
    const theirs = isMap(included[section]) ? included[section] : {};
    for (const name of Object.keys(theirs)) {
      if (name in mine) throw errors.conflict('compose-include-conflict', `${where}: ${section}.${name} is defined by the included file and by the including one`);
    }
    out[section] = { ...theirs, ...mine };
  }
  return out;
}

/** Loads, checks and normalizes the project. Throws invalid-argument / not-found naming file, line and field. */
export async function loadProject(options: LoadOptions): Promise<LoadedProject> {
  const files = await findFiles(options);
  const projectDir = options.projectDirectory === undefined ? dirname(files[0] ?? options.cwd) : resolve(options.cwd, options.projectDirectory);
  const env: Environment = { ...(await dotEnv(options, projectDir)), ...options.env };
  const set = new FileSet(env);
  let merged: RawMap = {};
  for (const path of files) merged = mergeProjects(merged, await set.data(path));
  const declared = typeof merged.name === 'string' ? merged.name : undefined;
  const name = normalizeProjectName(options.projectName ?? env.COMPOSE_PROJECT_NAME ?? declared ?? basename(projectDir));
  if (name === '') throw errors.invalidArgument('compose-project-name', `project name is empty after normalization (give one with -p)`);
  const profiles = options.profiles.length > 0 ? options.profiles : (env.COMPOSE_PROFILES ?? '').split(',').filter(Boolean);
  const warnings: string[] = [];
  const project = await normalizeProject(merged, { name, workingDir: projectDir, configFiles: files, profiles, env }, warnings);
  return { project, warnings };
}
