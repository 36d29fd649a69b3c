/** The `container_health` table: each container's last health state (written only by its monitor). */
import { parseJson } from '../../oci/parse-json.js';
import type { Database } from '../../store/database.js';
import { healthStateSchema, type HealthState } from './health-state.js';

export class HealthStore {
  constructor(private readonly db: Database) {}

  get(containerId: string): HealthState | undefined {
    const row = this.db.statement('SELECT health FROM container_health WHERE container_id = ?').get(containerId) as { health: string } | undefined;
    return row === undefined ? undefined : parseJson(healthStateSchema, row.health, `container ${containerId} health`);
  }

  set(containerId: string, state: HealthState): void {
    this.db.statement('INSERT INTO container_health (container_id, health) VALUES (?, ?) ON CONFLICT (container_id) DO UPDATE SET health = excluded.health')
      .run(containerId, JSON.stringify(state));
  }

  delete(containerId: string): void {
    this.db.statement('DELETE FROM container_health WHERE container_id = ?').run(containerId);
  }
}
