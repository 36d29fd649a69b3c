/**
 * What the policy is evaluated over: an *admission request*, the normalised facts of one operation
 * (an image reference and what is known of the image, and for containers the options that rules
 * look at). The API, the builder and `berth policy check` build it (admission-facts.ts); the
 * evaluator only reads it. Pure types.
 */
import type { Severity } from '../../wire/security.js';

export const POLICY_MODES = ['enforce', 'warn', 'audit'] as const;
/** `enforce` refuses, `warn` allows and tells the client, `audit` allows and only logs. */
export type PolicyMode = (typeof POLICY_MODES)[number];

/**
 * Which use case asks: a container create (or run), an update, a pull, a build's base image, or a
 * cluster service's create or update (on a manager: its task template is judged as a create).
 */
export type AdmissionOperation = 'create' | 'update' | 'pull' | 'build' | 'service';

/** What is known of the vulnerabilities of the image (the gate fills it in when a rule needs it). */
export type VulnerabilityFacts =
  | { state: 'scanned'; counts: Record<Severity, number> }
  | { state: 'unscanned' };

/** What the gate found of a `signed` rule's signature (by rule name). */
export type SignatureFacts = Readonly<Record<string, { verified: true; detail: string } | { verified: false; why: string }>>;

export interface ImageFacts {
  /** The request field that named the image, for messages: `Image`, `fromImage`, `FROM`. */
  field: string;
  /** The image as the client named it. */
  given: string;
  /** The normalised reference (`docker.io/library/busybox:latest`); absent when the image was named by id. */
  reference?: { domain: string; path: string; tag?: string; digest?: string };
  /** Whether the tag was implied (`busybox` means `busybox:latest`). */
  implicitTag: boolean;
  /** The local image's names and `repo@digest` references (what a `match` is tried on when the image was named by id). */
  names: readonly string[];
  /** The image's config, when the image is in the store: its user and labels. */
  config?: { user: string; labels: Readonly<Record<string, string>> };
  vulnerabilities?: VulnerabilityFacts;
  signatures?: SignatureFacts;
}

export interface BindFact {
  /** The host path as given. */
  source: string;
  target: string;
  /** `HostConfig.Binds` (the `-v` syntax) or `HostConfig.Mounts`. */
  field: string;
}

/** The options of a container that rules look at; absent = not set by the client. */
export interface ContainerFacts {
  privileged: boolean;
  /** Namespaces explicitly asked to be the host's (`pid`, `network`, `ipc`, `uts`, `userns`). */
  hostNamespaces: readonly HostNamespace[];
  binds: readonly BindFact[];
  capAdd: readonly string[];
  /** Config.User as given (empty = not given). */
  user: string;
  /** HostConfig.Memory in bytes (undefined = no limit). */
  memory?: number;
  labels: Readonly<Record<string, string>>;
  /** The request's own names for fields whose messages would otherwise name the Engine API's (a service's task template). */
  fieldNames?: Partial<Record<'user' | 'memory' | 'labels', string>>;
}

export const HOST_NAMESPACES = ['pid', 'network', 'ipc', 'uts', 'userns'] as const;
export type HostNamespace = (typeof HOST_NAMESPACES)[number];

export interface AdmissionRequest {
  operation: AdmissionOperation;
  image: ImageFacts;
  /** Create and update only. For an update: the container's options as they would be after it. */
  container?: ContainerFacts;
}

/** One rule that the request breaks. */
export interface Violation {
  rule: string;
  mode: PolicyMode;
  /** The request field, e.g. `HostConfig.Privileged`. */
  field: string;
  /** Why, starting with the value: `is true`, `"docker.io/library/busybox:latest" has the tag latest`. */
  detail: string;
}

/** `policy rule "no-privileged" (enforce): HostConfig.Privileged is true` */
export function violationMessage(violation: Violation): string {
  return `policy rule "${violation.rule}" (${violation.mode}): ${violation.field} ${violation.detail}`;
}
