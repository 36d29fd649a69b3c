/**
 * Cpuset lists (`0-2,4`) as dockerd reads HostConfig.CpusetCpus and CpusetMems: comma-separated
 * decimal numbers and ascending ranges, each at most 8192 (or the host's largest, if larger), and
 * every one present in the host's list.
 */

/** The most CPUs (or memory nodes) Linux normally has: larger numbers are refused unless the host has them. */
const NORMAL_MAXIMUM = 8192;
const INT64_MAX = 2n ** 63n - 1n;

type Parsed = { values: Set<number> } | { invalid: string };

/** A decimal integer with an optional sign, as Go's strconv.Atoi takes it (int64), or undefined. */
function atoi(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  if (value > INT64_MAX || value < -INT64_MAX - 1n) return undefined;
  return Number(value);
}

/** The numbers of a list, or why it is not one (`maximum` 0: no maximum). */
function parseList(list: string, maximum: number): Parsed {
  const values = new Set<number>();
  const invalid = { invalid: `invalid format: ${list}` };
  if (list === '') return { values };
  for (const part of list.split(',')) {
    const dash = part.indexOf('-');
    const low = atoi(dash < 0 ? part : part.slice(0, dash));
    const high = dash < 0 ? low : atoi(part.slice(dash + 1));
    if (low === undefined || high === undefined || high < low) return invalid;
    if (maximum !== 0 && high > maximum) return { invalid: `value of out range, maximum is ${maximum}` };
    for (let value = low; value <= high; value++) values.add(value);
  }
  return { values };
}

/**
 * Why `list` is not a usable cpuset on a host whose root cpuset is `available`: `{invalid}` with
 * dockerd's words for the list's syntax or size, `'unavailable'` when it names CPUs (nodes) the
 * host lacks, undefined when it is fine (the empty list too). Pure.
 */
export function cpusetProblem(list: string, available: string): { invalid: string } | 'unavailable' | undefined {
  const host = parseList(available, 0);
  const hostValues = 'values' in host ? host.values : new Set<number>();
  const maximum = Math.max(NORMAL_MAXIMUM, ...hostValues);
  const parsed = parseList(list, maximum);
  if ('invalid' in parsed) return parsed;
  for (const value of parsed.values) if (!hostValues.has(value)) return 'unavailable';
  return undefined;
}
