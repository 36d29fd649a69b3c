// A real node:tls server and clients on 127.0.0.1 with the cluster's options.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { BerthError } from '../../base/errors.js';
import { createClusterCa, type ClusterCa } from './cluster-ca.js';
import { createNodeMaterial } from './node-material.js';
import { clientTlsOptions, serverTlsOptions, type NodeTlsMaterial } from './tls-options.js';

const NOW = new Date();

interface Seen { readonly authorized: boolean; readonly commonName: string | undefined }

/** A server that records, for each client, whether its certificate verified and who it names. */
async function startServer(options: ReturnType<typeof serverTlsOptions> | { key: string; cert: string }): Promise<{ server: Server; port: number; next: () => Promise<Seen> }> {
  const server = createServer(options);
  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.end('hello');
  });
  server.on('tlsClientError', () => undefined);
  server.on('close', () => { for (const socket of sockets) socket.destroy(); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const next = async (): Promise<Seen> => {
    const [socket] = (await once(server, 'secureConnection')) as [TLSSocket];
    const peer = socket.getPeerCertificate();
    // Without a client certificate, node gives an empty object.
    const commonName = Object.keys(peer).length === 0 ? undefined : peer.subject.CN;
    return { authorized: socket.authorized, commonName: typeof commonName === 'string' ? commonName : undefined };
  };
  return { server, port: (server.address() as AddressInfo).port, next };
}

/** Connects with these options; resolves with the greeting, rejects with the TLS error. */
async function talk(port: number, options: ReturnType<typeof clientTlsOptions>): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port, ...options });
  try {
    await once(socket, 'secureConnect');
    socket.setEncoding('utf8');
    let text = '';
    for await (const chunk of socket) text += String(chunk);
    return text;
  } finally {
    socket.destroy();
  }
}

describe('TLS options of the cluster', () => {
  let ca: ClusterCa;
  let other: ClusterCa;
  let serverMaterial: NodeTlsMaterial;
  let clientMaterial: NodeTlsMaterial;
  let strangerMaterial: NodeTlsMaterial;
  let running: Awaited<ReturnType<typeof startServer>>;

  before(async () => {
    ca = await createClusterCa('cluster-a', NOW);
    other = await createClusterCa('cluster-a', NOW);
    const node = { role: 'manager' as const, clusterId: 'cluster-a', ipAddresses: [], dnsNames: [], now: NOW };
    serverMaterial = await createNodeMaterial(ca, { ...node, nodeId: 'server' });
    clientMaterial = await createNodeMaterial(ca, { ...node, nodeId: 'client', role: 'worker' });
    strangerMaterial = await createNodeMaterial(other, { ...node, nodeId: 'stranger' });
    running = await startServer(serverTlsOptions(serverMaterial));
  });
  after(() => { running.server.close(); });

  it('connects a node of the cluster, the server seeing its certificate as authorized', async () => {
    const seen = running.next();
    assert.equal(await talk(running.port, clientTlsOptions(clientMaterial)), 'hello');
    assert.deepEqual(await seen, { authorized: true, commonName: 'client' });
  });

  it('connects a joining node without a certificate, seen as unauthorized', async () => {
    const seen = running.next();
    assert.equal(await talk(running.port, clientTlsOptions({ caCertPem: ca.certPem })), 'hello');
    assert.deepEqual(await seen, { authorized: false, commonName: undefined });
  });

  it('sees a client with a certificate of another CA as unauthorized', async () => {
    const seen = running.next();
    assert.equal(await talk(running.port, clientTlsOptions({ ...strangerMaterial, caCertPem: ca.certPem })), 'hello');
    assert.deepEqual(await seen, { authorized: false, commonName: 'stranger' });
  });

  it('refuses a server when the client trusts another CA', async () => {
    // The server sends its chain up to the CA: the client sees a root it does not trust.
    const untrusted = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
    await assert.rejects(talk(running.port, clientTlsOptions(strangerMaterial)), (err: Error & { code?: string }) => untrusted.has(err.code ?? ''));
  });

  it('refuses a server whose certificate is signed by the CA but is not a node certificate', async () => {
    const impostor = await startServer({ key: ca.keyPem, cert: ca.certPem });
    try {
      await assert.rejects(talk(impostor.port, clientTlsOptions(clientMaterial)),
        (err) => err instanceof BerthError && err.kind === 'permission-denied' && err.reason === 'not-a-node-certificate');
    } finally {
      impostor.server.close();
    }
  });
});
