/** A service's rolling updates on the wire: Docker's UpdateConfig / RollbackConfig and UpdateStatus. */
import { z } from 'zod';
import { integerSchema } from './integers.js';

/** Docker's UpdateConfig (also its RollbackConfig): durations in nanoseconds. */
export const swarmUpdateConfigSchema = z.object({
  Parallelism: integerSchema.nullish(),
  Delay: integerSchema.nullish(),
  FailureAction: z.string().nullish(),
  Monitor: integerSchema.nullish(),
  MaxFailureRatio: z.number().nullish(),
  Order: z.string().nullish(),
});

/** An UpdateConfig as berthd shows it (Go's omitempty on Delay, FailureAction and Monitor). */
export interface SwarmUpdateConfig {
  Parallelism: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio: number;
  Order: string;
}

/** Where a service's rolling update stands (times RFC 3339). */
export interface SwarmUpdateStatus {
  State?: 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';
  StartedAt?: string;
  CompletedAt?: string;
  Message?: string;
  /** berth's canary: `holding` (paused until `service promote`) or `promoted`. */
  Canary?: 'holding' | 'promoted';
}
