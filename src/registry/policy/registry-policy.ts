/**
 * The registry's policy file (`berth registry serve --policy FILE`, `berthd --registry-policy FILE`):
 * YAML with immutable tag rules and pull rules, checked with zod. Every error is invalid-argument
 * (reason `invalid-registry-policy`) naming the file and line, the rule and the field:
 *
 *   registry-policy.yaml:6: pull rule "signed-prod" (pull[0]): field keys[0]: cosign.pub: no such key file
 *
 * The registry enforces immutable tags itself; pull rules it only matches and hands to the pull
 * gate its composition root installs (pull-gate.ts), which decides.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { errnoCode, errors, messageOf } from '../../base/errors.js';
import { checkYaml } from '../../base/yaml-file.js';
import { SEVERITIES, type Severity } from '../../wire/security.js';
import { RegistryGlob } from './registry-glob.js';

const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const name = z.string().regex(RULE_NAME, 'a rule name is letters, digits, _ . - (at most 63)').optional();
const repositories = z.string().regex(/^[a-z0-9._/*?-]+$/, 'want a glob of repository names: a-z 0-9 . _ - / and the wildcards * ** ?');
const tags = z.string().regex(/^[A-Za-z0-9._*?-]+$/, 'want a glob of tags: A-Z a-z 0-9 . _ - and the wildcards * ?');

const immutableTagSchema = z.strictObject({ name, repositories, tags });
const pullRuleSchema = z.discriminatedUnion('kind', [
  /** Signed with one of `keys` (public key files, relative to the policy file's directory). */
  z.strictObject({ name, kind: z.literal('signed'), repositories, keys: z.array(z.string().min(1)).min(1) }),
  /** No known vulnerability at or above `severity` (an image is scanned at its first pull, and again after a database import). */
  z.strictObject({ name, kind: z.literal('vulnerabilities'), repositories, severity: z.enum(SEVERITIES) }),
], { error: () => 'missing or unknown pull rule kind (want signed or vulnerabilities)' });

export const registryPolicySchema = z.strictObject({
  version: z.literal(1).optional(),
  immutable_tags: z.array(immutableTagSchema).default([]),
  pull: z.array(pullRuleSchema).default([]),
});

/** A tag that, once it exists, always points to the same manifest (Harbor's tag immutability). */
export interface ImmutableTagRule {
  name?: string;
  repositories: RegistryGlob;
  tags: RegistryGlob;
}

/** A key file of a pull rule: as written in the policy, its absolute path, and its text (read at load). */
export interface PullKey {
  file: string;
  path: string;
  pem: string;
}

/**
 * A pull rule: pulls of matching repositories must pass the pull gate — for `signed`, signed with
 * one of `keys`; for `vulnerabilities`, no known vulnerability at or above `severity`.
 */
export type PullRule = {
  /** Given, else the kind. Unique in a policy. */
  name: string;
  repositories: RegistryGlob;
} & ({ kind: 'signed'; keys: readonly PullKey[] } | { kind: 'vulnerabilities'; severity: Severity });

export interface RegistryPolicy {
  /** Where it was read from (for logs). */
  source: string;
  immutableTags: readonly ImmutableTagRule[];
  pull: readonly PullRule[];
}

export const EMPTY_REGISTRY_POLICY: RegistryPolicy = { source: '(none)', immutableTags: [], pull: [] };

/** What reading a policy needs to know of the pull gate in this registry (undefined: none). */
export interface RegistryPolicyReadOptions {
  /** The installed gate: its key check runs on every key of every pull rule (a throw is an error of the policy at that key). */
  pullGate?: { checkKey?(key: PullKey): void };
}

const REASON = 'invalid-registry-policy';

function readKey(file: string, source: string): PullKey {
  if (/^[a-z0-9-]+:\/\//.test(file)) throw errors.invalidArgument('unsupported-key', `${file}: keys from KMS or URLs are not supported; give a key file`);
  const path = resolve(dirname(source), file);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw errors.invalidArgument('key-not-found', errnoCode(err) === 'ENOENT' ? `${file}: no such key file` : `${file}: ${messageOf(err)}`);
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(pem)) throw errors.invalidArgument('bad-key', `${file}: not a PEM file (want a public key such as cosign.pub)`);
  return { file, path, pem };
}

/**
 * Parses and checks a policy's text; `source` names it in errors and is where relative key paths
 * start. Key files are read here, so a missing key is an error of the policy naming the rule and
 * the key; pull rules are refused when no pull gate is installed (they could not be enforced).
 */
export function parseRegistryPolicy(text: string, source: string, options: RegistryPolicyReadOptions = {}): RegistryPolicy {
  const checked = checkYaml(text, source, registryPolicySchema, REASON, { immutable_tags: 'immutable tag rule', pull: 'pull rule' });
  const seen = new Map<string, number>();
  const pull = checked.data.pull.map((rule, index): PullRule => {
    const gate = options.pullGate;
    if (gate === undefined) checked.fail(['pull', index, 'kind'], `no pull gate is installed in this registry to enforce "${rule.kind}" rules`);
    const ruleName = rule.name ?? rule.kind;
    const earlier = seen.get(ruleName);
    if (earlier !== undefined) {
      checked.failAt(['pull', index, rule.name === undefined ? 'kind' : 'name'], ['pull', index, 'name'],
        `"${ruleName}" is also the name of pull[${earlier}]${rule.name === undefined ? ' (a rule without a name is named after its kind): give one of them a name' : ''}`);
    }
    seen.set(ruleName, index);
    const common = { name: ruleName, repositories: new RegistryGlob(rule.repositories) };
    if (rule.kind === 'vulnerabilities') return { ...common, kind: rule.kind, severity: rule.severity };
    const keys = rule.keys.map((file, k) => {
      try {
        const key = readKey(file, source);
        gate?.checkKey?.(key);
        return key;
      } catch (err) {
        return checked.fail(['pull', index, 'keys', k], messageOf(err));
      }
    });
    return { ...common, kind: rule.kind, keys };
  });
  const immutableTags = checked.data.immutable_tags.map((rule): ImmutableTagRule => ({
    ...(rule.name !== undefined && { name: rule.name }),
    repositories: new RegistryGlob(rule.repositories),
    tags: new RegistryGlob(rule.tags),
  }));
  return { source, immutableTags, pull };
}

/** Reads and parses a policy file; invalid-argument (`invalid-registry-policy`) when it cannot be read or is invalid. */
export async function loadRegistryPolicyFile(path: string, options: RegistryPolicyReadOptions = {}): Promise<RegistryPolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw errors.invalidArgument(REASON, `registry policy file ${path}: ${messageOf(cause)}`, { cause });
  }
  return parseRegistryPolicy(text, path, options);
}

/** The pull rules that apply to `repository`, in file order. */
export function pullRulesFor(policy: RegistryPolicy, repository: string): PullRule[] {
  return policy.pull.filter((rule) => rule.repositories.matches(repository));
}

/** `2 immutable tag rules, 1 pull rule`. */
export function registryPolicySummary(policy: RegistryPolicy): string {
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  return `${count(policy.immutableTags.length, 'immutable tag rule')}, ${count(policy.pull.length, 'pull rule')}`;
}
