/**
 * For the transport tests only: a cluster's certificates made with trust/, a small in-memory
 * ManagerBackend that records what reaches it, and a NodeBackend with task logs in memory.
 */
import { BerthError } from '../../base/errors.js';
import type { Assignments, TaskStatusReport } from '../agent/agent-ports.js';
import {
  caDigest, createClusterCa, generateNodeKey, issueNodeCertificate, parseJoinToken, type ClusterCa, type NodeTlsMaterial,
} from '../trust/index.js';
import { EC_SIGNING_ALGORITHM, importPublicKey, importSigningKey, randomSerial, x509 } from '../trust/x509.js';
import { Readable } from 'node:stream';
import { stdioFrame } from '../../stdio/stdio-frames.js';
import type { NodeRole } from '../objects/node.js';
import type { TaskUsage } from '../scheduler/autoscale.js';
import type { HeartbeatAnswer, JoinAnswer, JoinCall, ManagerBackend, NodeBackend, RoleAnswer, RoleCall, TaskLog, TaskLogQuery } from './protocol.js';

export const NOW = new Date();

export interface TestCluster {
  readonly clusterId: string;
  readonly ca: ClusterCa;
  readonly digest: string;
  /** TLS material of a node of this cluster, its certificate valid for 127.0.0.1. */
  node(nodeId: string, role: 'manager' | 'worker'): Promise<NodeTlsMaterial>;
}

export async function makeTestCluster(clusterId: string): Promise<TestCluster> {
  const ca = await createClusterCa(clusterId, NOW);
  return {
    clusterId, ca, digest: caDigest(ca.certPem),
    node: async (nodeId, role) => {
      const key = await generateNodeKey();
      const certPem = await issueNodeCertificate(ca, { nodeId, role, clusterId, publicKeyPem: key.publicKeyPem, ipAddresses: ['127.0.0.1'], dnsNames: [], now: NOW });
      return { keyPem: key.keyPem, certPem, caCertPem: ca.certPem };
    },
  };
}

/** A certificate signed by `ca` whose subject names another cluster (what the CA itself would refuse to issue). */
export async function forgeForeignClusterMaterial(ca: ClusterCa, otherClusterId: string): Promise<NodeTlsMaterial> {
  const key = await generateNodeKey();
  const signingKey = await importSigningKey(ca.keyPem);
  const publicKey = await importPublicKey(key.publicKeyPem);
  if (signingKey === undefined || publicKey === undefined) throw new Error('test keys did not import');
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ O: [otherClusterId] }, { OU: ['berth-worker'] }, { CN: ['intruder'] }],
    issuer: new x509.X509Certificate(ca.certPem).subjectName,
    notBefore: new Date(NOW.getTime() - 3_600_000),
    notAfter: new Date(NOW.getTime() + 86_400_000),
    publicKey, signingKey, signingAlgorithm: EC_SIGNING_ALGORITHM,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return { keyPem: key.keyPem, certPem: cert.toString('pem'), caCertPem: ca.certPem };
}

/** A deferred promise the test can await. */
function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

/** A manager's backend in memory: joins with `secret`, counts heartbeats, keeps reports, parks long polls until aborted. */
export class MemoryManagerBackend implements ManagerBackend {
  readonly heartbeats: string[] = [];
  readonly reports: { nodeId: string; reports: readonly TaskStatusReport[] }[] = [];
  readonly joins: { call: JoinCall; peerAddress: string }[] = [];
  readonly roleChanges: { nodeId: string; currentRole: NodeRole }[] = [];
  private readonly started = signalled();
  private readonly aborted = signalled();
  /** Resolves once a long poll waits; then once the signal given to it aborted. */
  readonly longPollStarted = this.started.promise;
  readonly longPollAborted = this.aborted.promise;

  constructor(private readonly cluster: TestCluster, private readonly secret: string, private readonly assigned: Assignments) {}

  caCertPem(): Promise<string> {
    return Promise.resolve(this.cluster.ca.certPem);
  }

  async join(call: JoinCall, peerAddress: string): Promise<JoinAnswer> {
    this.joins.push({ call, peerAddress });
    if (parseJoinToken(call.token).secret !== this.secret) {
      throw new BerthError('permission-denied', 'join-token-rejected', 'the join token is not valid for this cluster');
    }
    const nodeId = `node${this.joins.length}`;
    const certPem = await issueNodeCertificate(this.cluster.ca, {
      nodeId, role: 'worker', clusterId: this.cluster.clusterId, publicKeyPem: call.publicKeyPem, ipAddresses: [call.addr === '' ? peerAddress : call.addr], dnsNames: [], now: NOW,
    });
    return { nodeId, role: 'worker', clusterId: this.cluster.clusterId, certPem, caCertPem: this.cluster.ca.certPem, managers: [] };
  }

  heartbeat(nodeId: string): Promise<HeartbeatAnswer> {
    this.heartbeats.push(nodeId);
    return Promise.resolve({ periodMs: 5000, role: 'worker' });
  }

  /** Certifies the caller for the other role than the one its certificate names. */
  async changeRole(nodeId: string, call: RoleCall, currentRole: NodeRole): Promise<RoleAnswer> {
    this.roleChanges.push({ nodeId, currentRole });
    const role = currentRole === 'manager' ? 'worker' : 'manager';
    const certPem = await issueNodeCertificate(this.cluster.ca, { nodeId, role, clusterId: this.cluster.clusterId, publicKeyPem: call.publicKeyPem, ipAddresses: ['127.0.0.1'], dnsNames: [], now: NOW });
    return { role, certPem, caCertPem: this.cluster.ca.certPem, managers: [] };
  }

  assignments(_nodeId: string, sinceRevision: number, signal: AbortSignal): Promise<Assignments> {
    if (sinceRevision === 0) return Promise.resolve(this.assigned);
    this.started.resolve();
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        this.aborted.resolve();
        reject(new BerthError('canceled', 'long-poll-canceled', 'the long poll was canceled'));
      }, { once: true });
    });
  }

  report(nodeId: string, reports: readonly TaskStatusReport[]): Promise<void> {
    this.reports.push({ nodeId, reports });
    return Promise.resolve();
  }
}

/** A node's task logs in memory: `logs` maps a task id to its lines (stdout), sent as multiplexed frames. */
export class MemoryNodeBackend implements NodeBackend {
  readonly queries: { taskId: string; query: TaskLogQuery }[] = [];

  constructor(private readonly logs: Readonly<Record<string, readonly string[]>> = {}, private readonly usage: readonly TaskUsage[] = []) {}

  taskUsage(): Promise<readonly TaskUsage[]> {
    return Promise.resolve(this.usage);
  }

  taskLogs(taskId: string, query: TaskLogQuery): Promise<TaskLog> {
    this.queries.push({ taskId, query });
    const lines = this.logs[taskId];
    if (lines === undefined) return Promise.reject(new BerthError('not-found', 'task-container-not-found', `task ${taskId} has no container on this node`));
    const frames = lines.map((line) => stdioFrame('stdout', Buffer.from(`${line}\n`)));
    return Promise.resolve({ tty: false, body: Readable.from(frames) });
  }
}
