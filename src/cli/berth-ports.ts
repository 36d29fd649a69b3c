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
import type { LabFlags, LabView } from './commands/lab-flags.js';
import type { ImportResult, SbomFormat, ScanReport } from '../wire/security.js';
import type { ContainerCreateConfig } from '../wire/containers.js';

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

/**
 * The scanner in this process, on the state root of `--root` / BERTH_ROOT (else the default
 * root): its scan database, and its images when the target is not a path. A target that starts
 * with `/` or `.`, or names an existing file or directory, is read from this machine. The
 * commands (`berth scan …`, `sbom`) are cli/'s; this is only what runs here instead of in berthd.
 */
export interface InProcessScanner {
  /**
   * The report of an image of the root, a directory or a rootfs tarball (an image's scan is
   * recorded as its last scan). `onWarning` hears that the database is empty before the scan.
   * not-found when the target is neither an image nor a path.
   */
  scan(globals: GlobalOptions, target: string, options: { ignoreUnfixed: boolean; onWarning: (message: string) => void }): Promise<ScanReport>;
  /** The SBOM document of the same targets. */
  sbom(globals: GlobalOptions, target: string, format: SbomFormat): Promise<object>;
  /** `scan db import`: the OSV records of a directory or zip into the root's database (all or nothing). */
  importDatabase(globals: GlobalOptions, path: string): Promise<ImportResult>;
  /**
   * `scan db update`: downloads the OSV archives of `ecosystems` (none given: those of what the
   * root scanned so far, else a default set) and imports each; unavailable (`osv-unreachable`)
   * without the internet.
   */
  updateDatabase(globals: GlobalOptions, ecosystems: string[], report: { onProgress: (line: string) => void; onImported: (file: string, result: ImportResult) => void }): Promise<void>;
}

/** `berth registry serve` / `gc`: an OCI distribution server (or one collection) in this process. */
export interface RegistryServerCommands {
  serve(flags: RegistryServeFlags): Promise<void>;
  collect(flags: RegistryGcFlags): Promise<void>;
}

/** `berth lab …`: many berthd nodes on this machine, each in its own network namespace (lab/). */
export interface LabCommands {
  /** Starts a lab; invalid-argument, already-exists, conflict (subnet in use) or unavailable (a node did not start) as lab/ throws them. */
  up(options: { name: string; managers: number; workers: number; dir?: string; subnet?: string }): Promise<LabView>;
  /** Removes everything the lab made; false when there was nothing to remove. */
  down(flags: LabFlags): Promise<boolean>;
  /** The lab's nodes; not-found when there is no such lab. */
  status(flags: LabFlags): Promise<LabView>;
}

/** One broken rule of `berth policy check`. */
export interface PolicyCheckViolation {
  rule: string;
  mode: 'enforce' | 'warn' | 'audit';
  field: string;
  detail: string;
}

/**
 * `berth policy check`: an admission policy evaluated in this process for a container create body,
 * the image's facts read from the state root of --root / BERTH_ROOT (else the default root) when
 * the image is there (and its vulnerabilities looked up, or scanned when a rule says so).
 */
export interface PolicyCommands {
  /** invalid-argument (`invalid-policy-file`) naming the rule and field when the file is not a valid policy. */
  check(globals: GlobalOptions, file: string, body: ContainerCreateConfig): Promise<{ violations: PolicyCheckViolation[]; imageInStore: boolean }>;
}

/** Where signing and verification reach a registry: the user's credentials for it, and plain-HTTP registries. */
export interface SigningRegistryOptions {
  insecureRegistries: string[];
  credentials?: RegistryCredentials;
}

/** One signature that counted, as `berth verify` shows it. */
export interface VerifiedSignatureView {
  format: 'classic' | 'bundle';
  keyFile: string;
  where: string;
  payload: unknown;
  note?: string;
}

export interface VerificationView {
  /** `repository@digest` that was verified. */
  image: string;
  verified: VerifiedSignatureView[];
  /** Why each other signature found did not count; what was missing when none was found. */
  failures: string[];
}

/**
 * `berth sign | verify | attest | verify-attestation`, in this process (as cosign, straight to the
 * registry): keys in cosign's formats, signatures in cosign's classic layout or as Sigstore
 * bundles attached through the referrers API. Key files are read here; invalid-argument naming the
 * file when one is not a key or the password is wrong.
 */
export interface SigningCommands {
  /** Writes `<prefix>.key` (encrypted with `password`) and `<prefix>.pub`; already-exists when either is there. */
  generateKeyPair(prefix: string, password: string): Promise<{ privateFile: string; publicFile: string }>;
  sign(image: string, options: SigningRegistryOptions & { keyFile: string; password: string; format: 'bundle' | 'classic' }): Promise<{ image: string; where: string }>;
  /** Attaches `predicateFile` (an SBOM, JSON) as a signed in-toto attestation of `type`. */
  attest(image: string, options: SigningRegistryOptions & { keyFile: string; password: string; predicateFile: string; type: string }): Promise<{ image: string; where: string }>;
  /** Never throws for signatures that do not verify: they are the view's failures. */
  verify(image: string, options: SigningRegistryOptions & { keyFiles: string[]; attestationType?: string; attestation: boolean }): Promise<VerificationView>;
}

export interface BerthPorts {
  /** This process's runner of child processes. */
  runner: ProcessRunner;
  hostFiles: HostFiles;
  inProcess: InProcessCommands;
  scanner: InProcessScanner;
  registry: RegistryServerCommands;
  lab: LabCommands;
  policy: PolicyCommands;
  signing: SigningCommands;
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
