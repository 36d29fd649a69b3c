/**
 * Typed calls of berth's overlay routes (`/berth/v1/overlays/…`): the node's share of cluster
 * overlay networks, as the cluster's agent drives it. Errors as the other clients: not-found for an
 * overlay the node does not have, invalid-argument for a bad state, conflict while containers are
 * attached (remove), failed-precondition for a fixed field changed while containers are attached.
 */
import type { OverlayAnswer, OverlayState } from '../wire/overlays.js';
import type { ApiTransport } from './api-transport.js';

export class OverlayClient {
  constructor(private readonly api: ApiTransport) {}

  /** Makes the node match `state` (the whole desired state of one overlay); answers the state applied. */
  put(state: OverlayState): Promise<OverlayAnswer> {
    return this.api.json<OverlayAnswer>('PUT', `/berth/v1/overlays/${encodeURIComponent(state.Id)}`, { body: state });
  }

  get(id: string): Promise<OverlayAnswer> {
    return this.api.json<OverlayAnswer>('GET', `/berth/v1/overlays/${encodeURIComponent(id)}`);
  }

  list(): Promise<OverlayAnswer[]> {
    return this.api.json<OverlayAnswer[]>('GET', '/berth/v1/overlays');
  }

  async remove(id: string): Promise<void> {
    await this.api.call('DELETE', `/berth/v1/overlays/${encodeURIComponent(id)}`);
  }
}
