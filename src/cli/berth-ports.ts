/**
 * What the berth process's composition root (`daemon/berth-main.ts`) hands the CLI: the parts
 * that run in this process rather than in berthd. cli/ declares them here and never imports the
 * folders that implement them; `main(argv, ports)` installs them before a command runs.
 *
 * Every member loads its implementation on first use (start-up time: `berth run` loads none).
 */
import type { Readable } from 'node:stream';
import { errors } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { Platform } from '../oci/schemas.js';
import type { RegistryCredentials } from '../wire/registry-auth.js';
import type { CompressionOptions } from '../wire/compression-options.js';
import type { GlobalOptions } from './args/command-spec.js';
import type { ImageCommands } from './commands/image-operations.js';
import type { RegistryGcFlags, RegistryServeFlags } from './commands/registry-flags.js';
import type { SbomFlags, ScanFlags } from './commands/security-flags.js';

/** Tar ⇄ directory on this machine (`cp`): the same safe unpacker and packer as image layers. */
export interface HostFiles {
  /** Unpacks `tar` into the existing directory `target`; nothing lands outside it (invalid-argument otherwise). */
  unpack(tar: Readable, target: string): Promise<void>;
  /** The entry `name` of directory `dir` as a tar whose top entry is named `as`; I/O errors end the stream. */
  pack(dir: string, name: string, as: string): Promise<Readable>;
}

/** Pull and push on the state root of `--root` / BERTH_ROOT, with the user's registry settings. */
export interface InProcessDistributionOptions {
  insecureRegistries: string[];
  credentials?: RegistryCredentials;
  onProgress: (message: object) => void;
}

/**
 * The commands that run engine code in this process on a state root (`--root` / BERTH_ROOT, no
 * berthd needed): the same image service berthd runs, opened on that root for one command.
 */
export interface InProcessCommands {
  images: ImageCommands;
  /** `image bootstrap KIND [--tag]`. */
  bootstrap(globals: GlobalOptions, kind: string, tag: string | undefined): Promise<void>;
  /** `pull` (one tag, or every tag with `allTags`); not-found / unauthenticated / unavailable as the puller throws. */
  pull(globals: GlobalOptions, name: string, options: InProcessDistributionOptions & { allTags: boolean; platform?: Platform }): Promise<void>;
  /** `push` of `name` (or of every local tag of its repository); prints digests when `quiet`. */
  push(globals: GlobalOptions, name: string, options: InProcessDistributionOptions & { compression?: CompressionOptions; quiet: boolean; everyTag: boolean }): Promise<void>;
  /** `login`: checks `credentials` against the registry (unauthenticated when it refuses them). */
  checkCredentials(domain: string, credentials: RegistryCredentials, insecureRegistries: string[]): Promise<void>;
}

/** `berth scan …` / `sbom …`: images through berthd or on a state root, paths read here. */
export interface SecurityCommands {
  scan(globals: GlobalOptions, target: string, flags: ScanFlags): Promise<void>;
  sbom(globals: GlobalOptions, target: string, flags: SbomFlags): Promise<void>;
  dbImport(globals: GlobalOptions, path: string): Promise<void>;
  dbUpdate(globals: GlobalOptions, ecosystems: string[]): Promise<void>;
}

/** `berth registry serve` / `gc`: an OCI distribution server (or one collection) in this process. */
export interface RegistryServerCommands {
  serve(flags: RegistryServeFlags): Promise<void>;
  collect(flags: RegistryGcFlags): Promise<void>;
}

export interface BerthPorts {
  /** This process's runner of child processes. */
  runner: ProcessRunner;
  hostFiles: HostFiles;
  inProcess: InProcessCommands;
  security: SecurityCommands;
  registry: RegistryServerCommands;
}

let installed: BerthPorts | undefined;

/** Installs the ports (main does, once per process). */
export function installPorts(ports: BerthPorts | undefined): void {
  installed = ports;
}

/** The installed ports; failed-precondition when the CLI was started without its composition root. */
export function ports(): BerthPorts {
  if (installed === undefined) throw errors.failedPrecondition('no-composition-root', 'this command needs the berth executable (bin/berth.js), which composes the in-process parts');
  return installed;
}
