import type { TableSchema } from '../store/table-schema.js';

/** The table of events/ (event-log.ts): the event log; old rows are dropped by count and age. */
export const EVENT_TABLES: TableSchema = {
  module: 'events',
  migrations: [
    // 1: events.
    `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so followers can resume after it
    time_nano INTEGER NOT NULL,          -- nanoseconds since the epoch
    type TEXT NOT NULL,                  -- container, image, volume, network, daemon, …
    action TEXT NOT NULL,                -- start, die, health_status: healthy, …
    actor_id TEXT NOT NULL,
    attributes TEXT NOT NULL,            -- JSON object of strings
    scope TEXT NOT NULL
  );
  CREATE INDEX events_by_time ON events(time_nano);
  `,
  ],
};
