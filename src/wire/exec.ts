/**
 * Exec on the wire: the bodies of `POST /containers/{id}/exec` and `POST /exec/{id}/start` (the
 * schemas berthd validates with; field names are matched as Go matches them, case-insensitively),
 * and `GET /exec/{id}/json`.
 */
import { z } from 'zod';

/** The body of `POST /containers/{id}/exec`. */
export const execCreateBodySchema = z.object({
  Cmd: z.array(z.string()).min(1, 'No exec command specified'),
  Env: z.array(z.string()).nullish(),
  User: z.string().nullish(),
  WorkingDir: z.string().nullish(),
  Tty: z.boolean().nullish(),
  AttachStdin: z.boolean().nullish(),
  AttachStdout: z.boolean().nullish(),
  AttachStderr: z.boolean().nullish(),
  Privileged: z.boolean().nullish(),
  DetachKeys: z.string().nullish(),
});
/** An exec as a client asks for it. */
export type ExecConfig = z.input<typeof execCreateBodySchema>;

/** The body of `POST /exec/{id}/start`; ConsoleSize is [rows, columns] for a TTY. */
export const execStartBodySchema = z.object({
  Detach: z.boolean().nullish(),
  Tty: z.boolean().nullish(),
  ConsoleSize: z.tuple([z.number().int(), z.number().int()]).nullish(),
});
export type ExecStartConfig = z.input<typeof execStartBodySchema>;

/** `POST /containers/{id}/exec`. */
export interface ExecCreateResponse {
  Id: string;
}

/** `GET /exec/{id}/json`. */
export interface ExecInspect {
  ID: string;
  Running: boolean;
  /** null while it has not exited. */
  ExitCode: number | null;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user: string };
  OpenStdin: boolean;
  OpenStderr: boolean;
  OpenStdout: boolean;
  CanRemove: boolean;
  ContainerID: string;
  /** The parsed detach key bytes, base64 (as Go marshals bytes); empty when none were set. */
  DetachKeys: string;
  Pid: number;
}
