/**
 * What a rescan of one image tells the operator, as pure functions: counts by severity, which
 * findings at or above the severity floor were not reported before, and the attributes of the
 * image's `vulnerabilities` event.
 */
import { SEVERITIES, severityRank, type Severity } from '../vulns/cvss.js';
import type { Finding } from '../../wire/security.js';

export type SeverityCounts = Record<Severity, number>;

/** The severities an operator may choose as the floor (UNKNOWN findings never make events). */
export const FLOOR_SEVERITIES: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** At most this many advisory ids are named in one event; `berth.scan.new.count` has the total. */
export const MAX_EVENT_IDS = 20;

/** At most this many containers (short ids) are named in one event. */
export const MAX_EVENT_CONTAINERS = 10;

/** Findings by severity, every severity present (zeros included). */
export function severityCounts(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/**
 * What identifies a finding of one image across rescans: the advisory and the package version it
 * affects. An image's packages never change, so the key only changes with the advisory data.
 */
export function findingKey(finding: Finding): string {
  return `${finding.id} ${finding.package.ecosystem}/${finding.package.name}@${finding.package.version}`;
}

/** Findings at or above `floor` whose key is not in `reported`, in the order given. */
export function newFindingsAtFloor(findings: readonly Finding[], floor: Severity, reported: ReadonlySet<string>): Finding[] {
  return findings.filter((f) => severityRank(f.severity) >= severityRank(floor) && !reported.has(findingKey(f)));
}

export interface RescanEventFacts {
  /** The image's familiar name (or its id when it has none): what `--filter image=` matches. */
  name: string;
  floor: Severity;
  counts: SeverityCounts;
  /** The new findings at or above the floor, highest severity first. */
  fresh: readonly Finding[];
  /** Generation of the vulnerability database that was matched. */
  generation: number;
  /** The containers that use the image. */
  containerIds: readonly string[];
}

/**
 * The attributes of an image's `vulnerabilities` event: `name`, `berth.scan.floor`, one
 * `berth.scan.<severity>` count per severity (all findings of the image), `berth.scan.new` (the
 * advisory ids of the new findings, comma-separated, at most MAX_EVENT_IDS), `berth.scan.new.count`,
 * `berth.scan.generation` and `berth.scan.containers` (short ids of the containers that use the
 * image, at most MAX_EVENT_CONTAINERS). Every value is a string, as Docker's attributes are.
 */
export function rescanEventAttributes(facts: RescanEventFacts): Record<string, string> {
  const ids = [...new Set(facts.fresh.map((f) => f.id))];
  const attributes: Record<string, string> = { name: facts.name, 'berth.scan.floor': facts.floor };
  for (const severity of SEVERITIES) attributes[`berth.scan.${severity.toLowerCase()}`] = String(facts.counts[severity]);
  attributes['berth.scan.new'] = ids.slice(0, MAX_EVENT_IDS).join(',');
  attributes['berth.scan.new.count'] = String(ids.length);
  attributes['berth.scan.generation'] = String(facts.generation);
  attributes['berth.scan.containers'] = facts.containerIds.slice(0, MAX_EVENT_CONTAINERS).map((id) => id.slice(0, 12)).join(',');
  return attributes;
}
