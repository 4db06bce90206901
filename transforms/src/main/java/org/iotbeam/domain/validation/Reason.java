package org.iotbeam.domain.validation;

/**
 * Why a message went to the dead-letter output. The names are a stable contract: dashboards, alerts
 * and replay tooling select on them. Where it went there: {@link Stage}.
 */
public enum Reason {
  EMPTY_PAYLOAD,
  PAYLOAD_TOO_LARGE,
  MALFORMED_PROTOBUF,
  UNSUPPORTED_SCHEMA_VERSION,
  MISSING_DEVICE_ID,
  INVALID_DEVICE_ID,
  MISSING_TIMESTAMP,
  TIMESTAMP_IN_FUTURE,
  TIMESTAMP_TOO_OLD,
  MISSING_MEASUREMENT,
  VALUE_OUT_OF_RANGE,
  INVALID_LOCATION,
  /** A bug or an unexpected runtime failure while processing: kept, never dropped. */
  PROCESSING_ERROR,
  /**
   * A sink (Kafka, Cosmos DB, Service Bus) gave up on a record after its bounded retries: the
   * destination was down, timed out or refused the credentials. Replay once the cause is fixed.
   */
  SINK_WRITE_FAILED,
  /**
   * The destination refused the record itself (too large, invalid): replaying it unchanged will
   * fail again.
   */
  SINK_RECORD_REJECTED,
  /** The alert webhook refused or did not answer after its retries. */
  WEBHOOK_DELIVERY_FAILED,
  /** A notification (e-mail, SMS, webhook) was not delivered after its retries. */
  NOTIFICATION_FAILED,
  /**
   * Not a failure: a backfill recovered the message of an earlier dead letter (stage {@link
   * Stage#RECOVERED}); the record supersedes that dead letter in every dead-letter sink.
   */
  RECOVERED
}
