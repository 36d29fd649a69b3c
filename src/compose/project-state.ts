/** What berthd runs for a project: its containers, networks and volumes, found by the compose labels. */
import type { BerthClient } from '../client/berth-client.js';
import { LABELS } from './compose-labels.js';
import type { ObservedContainer, ObservedState } from './up-planner.js';

/** The project's containers (one-off ones included), by `com.docker.compose.project`. */
export async function projectContainers(client: BerthClient, project: string): Promise<ObservedContainer[]> {
  const list = await client.containers.list({ all: true, filters: { label: [`${LABELS.project}=${project}`] } });
  return list.map((c) => ({ id: c.Id, name: (c.Names[0] ?? '').replace(/^\//, ''), labels: c.Labels, state: c.State }));
}

/** Containers, and the names of all networks and volumes berthd has (to know which exist). */
export async function observeState(client: BerthClient, project: string): Promise<ObservedState> {
  const [containers, networks, volumes] = await Promise.all([projectContainers(client, project), client.networks.list(), client.volumes.list()]);
  return { containers, networks: networks.map((n) => n.Name), volumes: volumes.map((v) => v.Name) };
}

/** Names of the project's networks and volumes (by label) on berthd. */
export async function projectResources(client: BerthClient, project: string): Promise<{ networks: string[]; volumes: string[] }> {
  const [networks, volumes] = await Promise.all([client.networks.list(), client.volumes.list({ label: [`${LABELS.project}=${project}`] })]);
  return {
    networks: networks.filter((n) => n.Labels[LABELS.project] === project).map((n) => n.Name),
    volumes: volumes.filter((v) => v.Labels?.[LABELS.project] === project).map((v) => v.Name),
  };
}
