/** Typed calls of berthd's alert route (`/berth/v1/alerts`); failed-precondition when berthd runs without alert rules. */
import type { AlertView } from '../wire/alerts.js';
import type { ApiTransport } from './api-transport.js';

export class AlertClient {
  constructor(private readonly api: ApiTransport) {}

  list(): Promise<AlertView[]> {
    return this.api.json<AlertView[]>('GET', '/berth/v1/alerts');
  }
}
