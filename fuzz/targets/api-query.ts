/**
 * Query strings of the Docker API: `filters` JSON and the list filters built on it (containers,
 * networks, volumes, images' reference patterns), time and integer parameters, the `POST /build`
 * parameters and the compression parameters. The input is `<parser>\n<query string>`.
 */
import { extraHostsParam, cacheFromParam, jsonMapParam, networkModeParam } from '../../src/api/build-query.js';
import { queryCompression } from '../../src/api/compression-query.js';
import { containerFilter, portFilterValues } from '../../src/api/container-filters.js';
import { booleanFilter, matchLabels, matchPattern } from '../../src/api/filter-args.js';
import { networkFilter } from '../../src/api/network-filters.js';
import { pathPattern } from '../../src/api/path-pattern.js';
import { globMatch, queryBool, queryFilters, queryInt, queryTimeNs, type Query } from '../../src/api/query.js';
import { stripVersion } from '../../src/api/api-version.js';
import { prunesAll, volumeFilter, volumePruneFilter } from '../../src/api/volume-filters.js';
import { parseEventTime } from '../../src/events/event-time.js';
import { acceptRefusal, refusing } from '../support/refusal.js';
import { queryOf, select } from '../support/input.js';

const SAMPLE_LABELS = { a: 'b', 'com.example': 'x=y' };
const NAMES = ['web', '/web', 'busybox:latest', 'docker.io/library/busybox'];

function filters(query: Query): Map<string, string[]> | undefined {
  return refusing(() => queryFilters(query));
}

const parsers: Record<string, (query: Query, text: string) => void | Promise<void>> = {
  filters: (query) => {
    const parsed = filters(query);
    if (parsed === undefined) return;
    for (const values of parsed.values()) {
      matchPattern(values, ...NAMES);
      matchLabels(values, SAMPLE_LABELS);
      for (const value of values) globMatch(value, 'docker.io/library/busybox');
    }
    refusing(() => booleanFilter(parsed, 'dangling', true));
  },
  'container-filters': async (query) => {
    const parsed = filters(query);
    if (parsed === undefined) return;
    try {
      await containerFilter(parsed, {
        order: (ref) => ref.length,
        ancestorImages: (refs) => Promise.resolve(new Set(refs)),
      });
    } catch (err) {
      acceptRefusal(err);
    }
  },
  'network-filters': (query) => {
    const parsed = filters(query);
    if (parsed !== undefined) refusing(() => networkFilter(parsed));
  },
  'volume-filters': (query, text) => {
    const parsed = filters(query);
    if (parsed === undefined) return;
    const list = refusing(() => volumeFilter(parsed, new Map([['v', ['c']]])));
    const prune = refusing(() => volumePruneFilter(parsed));
    const volume = { name: 'v', driver: 'local', createdAt: '', labels: SAMPLE_LABELS, options: {}, anonymous: false, seeded: true };
    list?.(volume);
    prune?.(volume);
    prunesAll(text, parsed);
  },
  'reference-pattern': (_query, text) => {
    const [pattern = '', name = ''] = text.split('\n');
    const test = refusing(() => pathPattern(pattern));
    test?.(name);
  },
  ports: (_query, text) => {
    refusing(() => portFilterValues('publish', text));
  },
  times: (query) => {
    refusing(() => queryTimeNs(query, 'since'));
    refusing(() => queryInt(query, 'tail'));
    refusing(() => parseEventTime(query.until === undefined ? undefined : String(query.until), new Date(0), 'until'));
    queryBool(query, 'all');
  },
  build: (query) => {
    refusing(() => jsonMapParam(query, 'buildargs'));
    refusing(() => jsonMapParam(query, 'labels'));
    refusing(() => cacheFromParam(query));
    refusing(() => extraHostsParam(query));
    refusing(() => networkModeParam(query));
  },
  compression: (query) => {
    refusing(() => queryCompression(query));
  },
  'api-version': (_query, text) => {
    stripVersion(text);
  },
};

export async function fuzz(data: Buffer): Promise<void> {
  const { entry, rest } = select(data, parsers);
  await entry(queryOf(rest), rest);
}
