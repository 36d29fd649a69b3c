/**
 * The dashboard's API: the one list of what its pages may ask berthd for. Each route names its
 * method, its path under `/api` (`:name` segments are parameters, URL-decoded and checked), and
 * either the berthd call it is proxied to or the handler that serves it (`overview` gathers
 * several lists; `events`, `stats` and `logs` are server-sent event streams). Anything not listed
 * answers 404 (or 405 for a listed path with another method): no other berthd route is reachable.
 * GETs only read; every action is a POST (see dashboard-auth.ts for the CSRF rules).
 */

export interface UpstreamCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** berthd's path (without the `/v1.xx` prefix, which the client adds). */
  path: string;
  query?: Record<string, string | boolean>;
}

export type RouteTarget =
  | { kind: 'proxy'; upstream: (params: Readonly<Record<string, string>>) => UpstreamCall }
  | { kind: 'overview' | 'events' | 'stats' | 'logs' };

export interface DashboardRoute {
  method: 'GET' | 'POST';
  pattern: string;
  target: RouteTarget;
}

const enc = encodeURIComponent;
const proxy = (upstream: (params: Readonly<Record<string, string>>) => UpstreamCall): RouteTarget => ({ kind: 'proxy', upstream });

export const DASHBOARD_ROUTES: readonly DashboardRoute[] = [
  { method: 'GET', pattern: '/api/overview', target: { kind: 'overview' } },
  { method: 'GET', pattern: '/api/events', target: { kind: 'events' } },
  { method: 'GET', pattern: '/api/containers', target: proxy(() => ({ method: 'GET', path: '/containers/json', query: { all: true } })) },
  { method: 'GET', pattern: '/api/containers/:id', target: proxy((p) => ({ method: 'GET', path: `/containers/${enc(p.id ?? '')}/json` })) },
  { method: 'GET', pattern: '/api/containers/:id/stats', target: { kind: 'stats' } },
  { method: 'GET', pattern: '/api/containers/:id/logs', target: { kind: 'logs' } },
  { method: 'POST', pattern: '/api/containers/:id/start', target: proxy((p) => ({ method: 'POST', path: `/containers/${enc(p.id ?? '')}/start` })) },
  { method: 'POST', pattern: '/api/containers/:id/stop', target: proxy((p) => ({ method: 'POST', path: `/containers/${enc(p.id ?? '')}/stop` })) },
  { method: 'POST', pattern: '/api/containers/:id/restart', target: proxy((p) => ({ method: 'POST', path: `/containers/${enc(p.id ?? '')}/restart` })) },
  { method: 'POST', pattern: '/api/containers/:id/remove', target: proxy((p) => ({ method: 'DELETE', path: `/containers/${enc(p.id ?? '')}`, query: { force: true } })) },
  { method: 'GET', pattern: '/api/images', target: proxy(() => ({ method: 'GET', path: '/images/json' })) },
  { method: 'GET', pattern: '/api/images/:ref', target: proxy((p) => ({ method: 'GET', path: `/images/${p.ref ?? ''}/json` })) },
  { method: 'GET', pattern: '/api/images/:ref/history', target: proxy((p) => ({ method: 'GET', path: `/images/${p.ref ?? ''}/history` })) },
  { method: 'GET', pattern: '/api/images/:ref/scan', target: proxy((p) => ({ method: 'GET', path: `/berth/v1/images/${p.ref ?? ''}/scan` })) },
  // A scan runs the scanner (an action); an SBOM is computed from the image and changes nothing.
  { method: 'POST', pattern: '/api/images/:ref/scan', target: proxy((p) => ({ method: 'POST', path: `/berth/v1/images/${p.ref ?? ''}/scan` })) },
  { method: 'GET', pattern: '/api/images/:ref/sbom', target: proxy((p) => ({ method: 'POST', path: `/berth/v1/images/${p.ref ?? ''}/sbom`, query: { format: 'cyclonedx' } })) },
  { method: 'GET', pattern: '/api/volumes', target: proxy(() => ({ method: 'GET', path: '/volumes' })) },
  { method: 'GET', pattern: '/api/networks', target: proxy(() => ({ method: 'GET', path: '/networks' })) },
  { method: 'GET', pattern: '/api/system/df', target: proxy(() => ({ method: 'GET', path: '/system/df' })) },
  { method: 'GET', pattern: '/api/nodes', target: proxy(() => ({ method: 'GET', path: '/nodes' })) },
  { method: 'GET', pattern: '/api/services', target: proxy(() => ({ method: 'GET', path: '/services', query: { status: true } })) },
];

/** What each kind of parameter may hold once decoded: container names/ids, image references/ids. */
const PARAMETER_PATTERNS: Readonly<Record<string, RegExp>> = {
  id: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
  ref: /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,254}$/,
};

export type RouteMatch =
  | { kind: 'route'; route: DashboardRoute; params: Record<string, string> }
  | { kind: 'not-found' | 'method-not-allowed' | 'bad-parameter'; message: string };

function matchPattern(pattern: string, path: string): Record<string, string> | 'no' | 'bad' {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return 'no';
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const actual = got[index] ?? '';
    if (!part.startsWith(':')) {
      if (part !== actual) return 'no';
      continue;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(actual);
    } catch {
      return 'bad'; // a malformed escape: a bad request
    }
    const name = part.slice(1);
    if (!(PARAMETER_PATTERNS[name]?.test(decoded) ?? false) || decoded.includes('..')) return 'bad';
    params[name] = decoded;
  }
  return params;
}

/** Finds the route of `method path` (path without its query). */
export function matchRoute(method: string, path: string, routes: readonly DashboardRoute[] = DASHBOARD_ROUTES): RouteMatch {
  let pathKnown = false;
  let badParameter = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (params === 'no') continue;
    if (params === 'bad') {
      badParameter = true;
      continue;
    }
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { kind: 'route', route, params };
    pathKnown = true;
  }
  if (pathKnown) return { kind: 'method-not-allowed', message: `${method} ${path} is not allowed` };
  if (badParameter) return { kind: 'bad-parameter', message: `${path}: not a container or image name` };
  return { kind: 'not-found', message: `${path}: no such dashboard route` };
}
