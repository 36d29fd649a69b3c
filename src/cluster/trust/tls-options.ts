/**
 * node:tls options for the cluster's connections, from a node's key, certificate and the CA.
 *
 * - Server: TLS 1.3 only; presents the node certificate and asks every client for one, but does
 *   not reject a client without one (a joining node has none yet). Routes that need a caller check
 *   `socket.authorized` and read the caller with `readNodeCertificate` themselves.
 * - Client: trusts only the cluster CA (not the system's roots), presents the node certificate
 *   when it has one, and accepts a server only if it shows a node certificate of that CA. The
 *   server's name is not compared with the host: nodes are reached by IP, the CA pins the cluster.
 */
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { identityOf } from './node-certificate.js';

export interface NodeTlsMaterial {
  /** PKCS#8 PEM. */
  readonly keyPem: string;
  readonly certPem: string;
  readonly caCertPem: string;
}

export interface ServerTlsOptions {
  key: string;
  cert: string;
  ca: string;
  requestCert: true;
  rejectUnauthorized: false;
  /** TLS 1.3 only: no renegotiation, so a connection's client certificate never changes. */
  minVersion: 'TLSv1.3';
}

export interface ClientTlsOptions {
  ca: string;
  key?: string;
  cert?: string;
  rejectUnauthorized: true;
  checkServerIdentity: (host: string, cert: PeerCertificate) => Error | undefined;
}

/** Options for `tls.createServer` / `https.createServer` of a node. */
export function serverTlsOptions(material: NodeTlsMaterial): ServerTlsOptions {
  return { key: material.keyPem, cert: material.certPem, ca: material.caCertPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' };
}

/**
 * Options for `tls.connect` / `https.request` to a node: with a node's material, or with only the
 * CA (a joining node, before it has a certificate). A server whose certificate is not a node
 * certificate of the CA fails the connection with the permission-denied error of `identityOf`.
 */
export function clientTlsOptions(material: NodeTlsMaterial | { readonly caCertPem: string }): ClientTlsOptions {
  const { caCertPem } = material;
  const checkServerIdentity = (_host: string, cert: PeerCertificate): Error | undefined => {
    try {
      identityOf(new X509Certificate(cert.raw), caCertPem);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  };
  const options: ClientTlsOptions = { ca: caCertPem, rejectUnauthorized: true, checkServerIdentity };
  if ('keyPem' in material) {
    options.key = material.keyPem;
    options.cert = material.certPem;
  }
  return options;
}
