/**
 * `GET /events`: one JSON object per line. `timeNano` is beyond JavaScript's exact integers; the
 * daemon writes its exact digits, and a reader that needs them takes them from the line.
 */

/** One event as Docker's event stream writes it; `status`, `id`, `from` only for containers and images (legacy fields). */
export interface EventMessage {
  status?: string;
  id?: string;
  /** The container's image. */
  from?: string;
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: string;
  /** Unix seconds. */
  time: number;
  /** Unix nanoseconds (exact in the text only). */
  timeNano: number;
}
