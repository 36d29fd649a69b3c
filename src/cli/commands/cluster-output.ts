/**
 * What `berth cluster init|join-token|status` print, as `docker swarm init|join-token` and the
 * Swarm part of `docker info` do. Pure.
 */
import type { SwarmInfo } from '../../wire/system.js';
import { prettyLines } from './cluster-pretty.js';

/** The command a node runs to join with `token` through the manager at `managerAddr` (`ip:port`). */
export function joinCommand(token: string, managerAddr: string): string {
  return `berth cluster join --token ${token} ${managerAddr}`;
}

/** `join-token ROLE`'s instructions. */
export function joinInstructions(role: 'worker' | 'manager', token: string, managerAddr: string): string {
  return `To add a ${role} to this cluster, run the following command:\n\n    ${joinCommand(token, managerAddr)}\n`;
}

/** What `cluster init` prints once the node manages its new cluster. */
export function initMessage(nodeId: string, workerToken: string, managerAddr: string): string {
  return `Cluster initialized: current node (${nodeId}) is now a manager.\n\n${joinInstructions('worker', workerToken, managerAddr)}\n`
    + 'To add a manager to this cluster, run \'berth cluster join-token manager\' and follow the instructions.\n';
}

/** `cluster status`: this node's part of the cluster, from `/info`'s Swarm object. */
export function statusText(swarm: SwarmInfo): string {
  const active = swarm.LocalNodeState === 'active';
  const manager = active && swarm.ControlAvailable;
  const lines = `${prettyLines([
    ['Cluster', swarm.LocalNodeState],
    ['Error', swarm.Error === '' ? undefined : swarm.Error],
    ['Node ID', active ? swarm.NodeID : undefined],
    ['Node Address', active ? swarm.NodeAddr : undefined],
    ['Is Manager', active ? String(swarm.ControlAvailable) : undefined],
    ['Cluster ID', manager ? swarm.Cluster?.ID : undefined],
    ['Managers', manager && swarm.Managers !== undefined ? String(swarm.Managers) : undefined],
    ['Nodes', manager && swarm.Nodes !== undefined ? String(swarm.Nodes) : undefined],
  ])}\n`;
  const managers = active ? (swarm.RemoteManagers ?? []).map((m) => m.Addr) : [];
  return `${lines}${managers.length === 0 ? '' : `Manager Addresses:\n${managers.map((a) => `  ${a}\n`).join('')}`}`;
}
