/**
 * Who may use the dashboard, decided for each request before anything else runs (pages, scripts
 * and API calls alike):
 *
 * - The Host header must name loopback, or over TLS one of the names the site allows (the
 *   certificate's, the bound address: dashboard-tls.ts). A page of another site that rebinds its
 *   DNS name to this machine sends its own name and is refused.
 * - `GET /login?token=T` with the right token sets the session cookie (HttpOnly, SameSite=Strict,
 *   Path=/, and Secure over TLS) and redirects to `/`; a wrong one answers 401.
 * - Every other request carries the token: the cookie, or `Authorization: Bearer T` (scripts).
 *   Without it, or with a wrong one: 401.
 * - CSRF: actions are POSTs only (GETs change nothing), and a POST must carry the header
 *   `X-Berth-Dashboard: 1`, which the pages' scripts send and a form of another site cannot; when
 *   the browser sends Origin, it must be the dashboard's own. The SameSite=Strict cookie is not
 *   sent on requests started by other sites in the first place.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { hostOfHeader, isLoopbackHost } from './dashboard-addr.js';
import type { DashboardToken } from './dashboard-token.js';

export const SESSION_COOKIE = 'berth_dashboard';
export const ACTION_HEADER = 'x-berth-dashboard';

export interface AuthRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export type AuthDecision =
  | { kind: 'allow' }
  | { kind: 'login'; setCookie: string; location: string }
  | { kind: 'deny'; status: 401 | 403; reason: string; message: string };

/** The value of cookie `name` in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The token a request presents: `Authorization: Bearer`, else the session cookie. */
export function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  return bearer ?? cookieValue(headers.cookie, SESSION_COOKIE);
}

/** How the dashboard is reached: over TLS or not, and the Host names it answers besides loopback. */
export interface DashboardSite {
  /** HTTPS: the cookie is Secure and a browser's Origin is `https://…`. */
  secure: boolean;
  /** Whether a Host name (no port, no brackets) other than loopback is the dashboard's. */
  allowsHost(host: string): boolean;
}

/** Plain HTTP on loopback: the dashboard without TLS. */
export const LOOPBACK_SITE: DashboardSite = { secure: false, allowsHost: () => false };

const deny = (status: 401 | 403, reason: string, message: string): AuthDecision => ({ kind: 'deny', status, reason, message });

/** Decides one request (pure: the token and the site are the only state). */
export function authorize(request: AuthRequest, token: DashboardToken, site: DashboardSite = LOOPBACK_SITE): AuthDecision {
  const host = hostOfHeader(request.headers.host);
  if (host === undefined || !(isLoopbackHost(host) || site.allowsHost(host))) {
    return deny(403, 'host-not-allowed', site.secure ? 'the dashboard answers only requests addressed to loopback or to a name of its certificate' : 'the dashboard answers only requests addressed to loopback');
  }
  if (request.path === '/login') {
    if (request.method !== 'GET' || !token.matches(request.query.get('token') ?? undefined)) return deny(401, 'bad-login-token', 'wrong or missing token: use the URL `berth dashboard url` prints');
    return { kind: 'login', setCookie: `${SESSION_COOKIE}=${token.value}; HttpOnly; SameSite=Strict; Path=/${site.secure ? '; Secure' : ''}`, location: '/' };
  }
  if (!token.matches(presentedToken(request.headers))) return deny(401, 'not-logged-in', 'not logged in: open the URL `berth dashboard url` prints');
  if (request.method === 'GET' || request.method === 'HEAD') return { kind: 'allow' };
  if (request.headers[ACTION_HEADER] !== '1') return deny(403, 'action-header-missing', `actions need the header ${ACTION_HEADER}: 1 (sent by the dashboard's pages)`);
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${site.secure ? 'https' : 'http'}://${request.headers.host ?? ''}`) return deny(403, 'foreign-origin', `requests from ${origin} are not accepted`);
  return { kind: 'allow' };
}
