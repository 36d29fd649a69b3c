/**
 * A label-limited role lists only what its selector allows: `filters` of `GET /containers/json`
 * get one `label` filter per pair of the selector (Docker ANDs them), next to what the client
 * asked. Filters that are not a JSON object are left for the route to refuse.
 */
import type { Query } from '../query.js';

export function narrowToLabels(query: Query, selector: Readonly<Record<string, string>>): void {
  const text = query.filters;
  let filters: Record<string, unknown> = {};
  if (typeof text === 'string' && text !== '') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
      filters = parsed as Record<string, unknown>;
    } catch {
      return; // not JSON: the route refuses the filters
    }
  } else if (text !== undefined && typeof text !== 'string') {
    return;
  }
  const existing = filters.label;
  const labels = Array.isArray(existing) ? existing.map(String) : typeof existing === 'object' && existing !== null ? Object.keys(existing) : [];
  filters.label = [...labels, ...Object.entries(selector).map(([key, value]) => `${key}=${value}`)];
  query.filters = JSON.stringify(filters);
}
