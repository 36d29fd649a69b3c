/**
 * The tables of one module, defined once by the module that owns them: `module` is the name its
 * progress is recorded under, `migrations` its append-only list (never edit one that has shipped:
 * add the next). A module's migrations touch only its own tables.
 */
export interface TableSchema {
  readonly module: string;
  readonly migrations: readonly string[];
}

/**
 * One migration of a database's former single list (`user_version` counted them), as the version
 * each module reaches once it has run: `{ images: 1, snapshots: 1 }`.
 */
export type LegacyStep = Readonly<Record<string, number>>;

/**
 * Every table of one database file: its modules in the order a fresh file creates them, and how
 * the former single list of migrations maps onto them (`legacy[n]`: what its migration n + 1 did),
 * so that a file migrated by that list opens without re-running or skipping anything.
 */
export interface DatabaseSchema {
  readonly tables: readonly TableSchema[];
  readonly legacy?: readonly LegacyStep[];
}
