/** berthd's alerts on the wire (`GET /berth/v1/alerts`): what `berth alert ls` shows. */

export interface AlertDeliveryView {
  Receiver: string;
  /** pending (the condition holds, not yet for `for`), waiting (group wait), sending, retrying, delivered. */
  State: 'pending' | 'waiting' | 'sending' | 'retrying' | 'delivered';
  /** Failed attempts of the notification being retried. */
  Attempts: number;
  LastError?: string;
  /** RFC 3339: the next attempt of a retried notification. */
  NextAttemptAt?: string;
}

export interface AlertView {
  Rule: string;
  Fingerprint: string;
  Labels: Record<string, string>;
  Annotations: Record<string, string>;
  Severity: string;
  /** pending, firing, or resolved (its resolution not delivered yet). */
  Status: 'pending' | 'firing' | 'resolved';
  /** RFC 3339: when it began firing (pending: when the condition began to hold). */
  Since: string;
  /** The metric rule's last value. */
  Value?: number;
  Delivery: AlertDeliveryView;
}
