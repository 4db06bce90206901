package org.iotbeam.pipelines.notify;

/**
 * The notification step's counters (namespace iotbeam, so Prometheus shows {@code
 * iotbeam_<name>_total}; docs/notifications.md, the Grafana dashboard).
 */
public final class NotifyMetrics {
  /** Messages a channel accepted (e-mails, SMS, webhook posts, log lines). */
  public static final String SENT = "notifications_sent";

  /** Messages that failed after their retries: each is a dead letter. */
  public static final String FAILED = "notifications_failed";

  /** Attempts beyond the first. */
  public static final String RETRIES = "notification_retries";

  /** Alert events already decided (a replay): no notice. */
  public static final String REPLAYS_DROPPED = "notification_alert_replays_dropped";

  /** Messages the send ledger knew as sent (a restart from a checkpoint): not sent again. */
  public static final String ALREADY_SENT = "notifications_already_sent";

  /** Deliveries held back by a recipient's rate limit, for a digest. */
  public static final String HELD = "notifications_held_by_rate_limit";

  /** Digests of held-back deliveries. */
  public static final String DIGESTS = "notification_digests";

  /** Alert series that started flapping (one notice each). */
  public static final String FLAPPING = "notification_flapping_started";

  /** Alert events not notified one by one because their series is flapping. */
  public static final String HELD_FLAPPING = "notifications_held_while_flapping";

  /** Notices no route takes. */
  public static final String UNROUTED = "notification_notices_unrouted";

  private NotifyMetrics() {}
}
