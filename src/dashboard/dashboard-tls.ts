/**
 * The dashboard's TLS (`--dashboard-tls-cert`, `--dashboard-tls-key`): the certificate and key, as
 * PEM texts, checked before anything listens (each parses, the key is the certificate's), and what
 * the certificate says of the names the dashboard is reached by. Those names widen the Host check
 * (dashboard-auth.ts): a request may address loopback, a name or address of the certificate's
 * subjectAltName (DNS entries as a browser matches them, wildcards included; IP entries), or the
 * bound address itself when it is not a wildcard (0.0.0.0, ::). A page of another site that
 * rebinds its own DNS name to this machine still sends its own name, which none of these is.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { errors, messageOf } from '../base/errors.js';
import { canonicalIp, isWildcardHost } from './dashboard-addr.js';

/** The dashboard's certificate (a chain may follow it) and its private key, PEM texts. */
export interface DashboardTls {
  cert: string;
  key: string;
}

/** What errors call the certificate and the key: berthd's flags with their files, or startDashboard's option. */
export interface TlsSourceNames {
  cert: string;
  key: string;
}

const OPTION_NAMES: TlsSourceNames = { cert: 'dashboard tls.cert', key: 'dashboard tls.key' };

/**
 * The certificate, once the pair is checked. Throws invalid-argument naming the culprit:
 * `invalid-dashboard-tls-cert` (not a PEM certificate), `invalid-dashboard-tls-key` (not a PEM
 * private key, or one with a passphrase), `dashboard-tls-key-mismatch` (not the certificate's key).
 */
export function checkDashboardTls(tls: DashboardTls, names: TlsSourceNames = OPTION_NAMES): X509Certificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(tls.cert);
  } catch (cause) {
    throw errors.invalidArgument('invalid-dashboard-tls-cert', `${names.cert}: not a PEM certificate (${messageOf(cause)})`, { cause });
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(tls.key);
  } catch (cause) {
    throw errors.invalidArgument('invalid-dashboard-tls-key', `${names.key}: not a PEM private key without a passphrase (${messageOf(cause)})`, { cause });
  }
  if (!cert.checkPrivateKey(key)) throw errors.invalidArgument('dashboard-tls-key-mismatch', `${names.key}: not the private key of the certificate ${names.cert}`);
  return cert;
}

export interface CertificateNames {
  /** DNS entries, as written (lower case; wildcards such as `*.example.com` included). */
  dns: string[];
  /** IP entries, canonical (`::1`, not `0:0:0:0:0:0:0:1`). */
  ips: string[];
}

/** One subjectAltName entry as node prints them: `DNS:a.example`, `IP Address:10.0.0.1`, a JSON string when the value needs quoting. */
const SAN_ENTRY = /\s*([^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:,|$)/y;

/** The DNS and IP entries of the certificate's subjectAltName. */
export function certificateNames(cert: X509Certificate): CertificateNames {
  const names: CertificateNames = { dns: [], ips: [] };
  const text = cert.subjectAltName ?? '';
  const entry = new RegExp(SAN_ENTRY);
  while (entry.lastIndex < text.length) {
    const match = entry.exec(text);
    if (match === null) break;
    const [, type = '', raw = ''] = match;
    const value = raw.startsWith('"') ? String(JSON.parse(raw)) : raw;
    if (type === 'DNS') names.dns.push(value.toLowerCase());
    else if (type === 'IP Address') names.ips.push(canonicalIp(value) ?? value.toLowerCase());
  }
  return names;
}

/** Whether `cert` is valid for `host` (an IP address or a DNS name), as a browser decides it: subjectAltName only. */
export function certificateCovers(cert: X509Certificate, host: string): boolean {
  try {
    const ip = canonicalIp(host);
    if (ip !== undefined) return cert.checkIP(ip) !== undefined;
    return cert.checkHost(host, { subject: 'never', partialWildcards: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Whether `host` is `bound`, the address the dashboard listens on (never a wildcard). */
function isBoundHost(host: string, bound: string): boolean {
  if (isWildcardHost(bound)) return false;
  const ip = canonicalIp(host);
  return ip === undefined ? host.toLowerCase() === bound.toLowerCase() : ip === canonicalIp(bound);
}

/**
 * The Host names, besides loopback, a dashboard listening on `bound` with `cert` answers: the
 * certificate's names and addresses, and `bound` itself unless it is a wildcard.
 */
export function hostsServedWith(bound: string, cert: X509Certificate): (host: string) => boolean {
  return (host) => isBoundHost(host, bound) || certificateCovers(cert, host);
}

/**
 * The host of the URL the dashboard gives out (the login URL): the bound address when the
 * certificate is valid for it, else the certificate's first DNS name (not a wildcard), else its
 * first IP address, else the bound address, else (a wildcard) localhost.
 */
export function urlHostWith(bound: string, cert: X509Certificate): string {
  const wildcard = isWildcardHost(bound);
  if (!wildcard && certificateCovers(cert, bound)) return bound;
  const names = certificateNames(cert);
  return names.dns.find((name) => !name.includes('*')) ?? names.ips[0] ?? (wildcard ? 'localhost' : bound);
}
