/**
 * The runtime detection rules (`berthd --detection-rules FILE`; berth ships
 * deploy/detection-rules.yaml, used with `--detect`): YAML, checked here. A rule names what it
 * watches (`on`), the conditions that must all hold, and what berth does when they do:
 *
 *   rules:
 *     - name: shell_spawned
 *       on: exec                      # exec | open | write | ptrace | socket
 *       programs: [sh, bash, ash]     # exec: the program's name (its file, or argv[0] for busybox)
 *       spawned_by_workload: true     # exec: started by the container's own processes, not by an exec
 *       action: alert                 # alert | pause | kill
 *
 * Conditions: `programs`, `exe_prefixes`, `not_in_image`, `spawned_by_workload`, `stdio_network`
 * (exec); `paths` (open, write: the path or below it); `socket_kinds` (socket: raw, packet);
 * `except_images` (any rule: image names, `*` matching any run of characters). A condition that
 * does not apply to the rule's `on` is an error naming the rule and field. A `not_in_image` rule
 * is judged on the file the kernel opens to execute (so a process too short to be read is still
 * seen), the other exec rules on the process after its exec; the two kinds do not mix.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { errors, messageOf } from '../../base/errors.js';
import { checkYaml } from '../../base/yaml-file.js';

export const DETECTION_SOURCES = ['exec', 'open', 'write', 'ptrace', 'socket'] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];
export const DETECTION_ACTIONS = ['alert', 'pause', 'kill'] as const;
export type DetectionAction = (typeof DETECTION_ACTIONS)[number];
export const SOCKET_KINDS = ['raw', 'packet'] as const;
export type SocketKind = (typeof SOCKET_KINDS)[number];

/** deploy/detection-rules.yaml of the repository (this file is dist/src/security/detection/…). */
export const DEFAULT_DETECTION_RULES = fileURLToPath(new URL('../../../../deploy/detection-rules.yaml', import.meta.url));

const absolutePath = z.string().regex(/^\/[^\t\n]*$/, 'want an absolute path (no tabs or newlines)');

const ruleSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'want lower-case letters, digits, _ and - (at most 63)'),
  description: z.string().optional(),
  on: z.enum(DETECTION_SOURCES),
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  action: z.enum(DETECTION_ACTIONS).default('alert'),
  programs: z.array(z.string().regex(/^[^/\s]+$/, 'want a program name without a slash')).min(1).optional(),
  exe_prefixes: z.array(z.string().min(1)).min(1).optional(),
  not_in_image: z.literal(true).optional(),
  spawned_by_workload: z.literal(true).optional(),
  stdio_network: z.literal(true).optional(),
  paths: z.array(absolutePath).min(1).optional(),
  socket_kinds: z.array(z.enum(SOCKET_KINDS)).min(1).optional(),
  except_images: z.array(z.string().min(1)).optional(),
});
export type DetectionRuleSpec = z.output<typeof ruleSchema>;

const fileSchema = z.strictObject({ rules: z.array(ruleSchema) });

/** Which `on` each condition belongs to. */
const CONDITIONS: Readonly<Record<string, readonly DetectionSource[]>> = {
  programs: ['exec'], exe_prefixes: ['exec'], not_in_image: ['exec'], spawned_by_workload: ['exec'], stdio_network: ['exec'],
  paths: ['open', 'write'], socket_kinds: ['socket'],
};

/** Exec conditions read from the running process, which a rule with `not_in_image` (judged on the executed file) cannot have. */
const PROCESS_CONDITIONS = ['exe_prefixes', 'spawned_by_workload', 'stdio_network'] as const;

/** A rule ready to match: its image exceptions compiled. */
export interface DetectionRule extends DetectionRuleSpec {
  exceptImages: readonly RegExp[];
}

export interface DetectionRules {
  /** Where they were read from (for logs). */
  source: string;
  rules: readonly DetectionRule[];
}

function globPattern(text: string): RegExp {
  return new RegExp(`^${text.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Parses and checks the rules' text; `source` names it in errors (invalid-argument, `invalid-detection-rules`). */
export function parseDetectionRules(text: string, source: string): DetectionRules {
  const file = checkYaml(text, source, fileSchema, 'invalid-detection-rules', { rules: 'rule' });
  const seen = new Set<string>();
  const rules = file.data.rules.map((rule, index): DetectionRule => {
    if (seen.has(rule.name)) file.fail(['rules', index, 'name'], `"${rule.name}" is also an earlier rule's name`);
    seen.add(rule.name);
    for (const [field, sources] of Object.entries(CONDITIONS)) {
      if (field in rule && !sources.includes(rule.on)) file.fail(['rules', index, field], `only for rules on ${sources.join(' or ')} (this one is on ${rule.on})`);
    }
    if (rule.not_in_image === true) {
      const other = PROCESS_CONDITIONS.find((field) => field in rule);
      if (other !== undefined) file.fail(['rules', index, other], 'not with not_in_image: that is judged on the executed file, which has no process to look at');
    }
    return { ...rule, exceptImages: (rule.except_images ?? []).map(globPattern) };
  });
  return { source, rules };
}

/** Reads and parses a rules file; invalid-argument (`invalid-detection-rules`) when it cannot be read or is invalid. */
export async function loadDetectionRules(path: string): Promise<DetectionRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw errors.invalidArgument('invalid-detection-rules', `detection rules ${path}: ${messageOf(cause)}`, { cause });
  }
  return parseDetectionRules(text, path);
}

/** What the watcher must mark in each container's files for these rules: paths opened, prefixes written. */
export function watchedPaths(rules: DetectionRules): { reads: string[]; writes: string[] } {
  const of = (on: DetectionSource): string[] => [...new Set(rules.rules.filter((rule) => rule.on === on).flatMap((rule) => rule.paths ?? ['/']))].sort();
  return { reads: of('open'), writes: of('write') };
}

/** `9 rules (exec 5, open 1, write 1, ptrace 1, socket 1)`. */
export function detectionRulesSummary(rules: DetectionRules): string {
  const counts = DETECTION_SOURCES.map((on) => `${on} ${rules.rules.filter((rule) => rule.on === on).length}`);
  return `${rules.rules.length} rules (${counts.join(', ')})`;
}
