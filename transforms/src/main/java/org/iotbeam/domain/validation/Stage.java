package org.iotbeam.domain.validation;

import java.util.Locale;

/**
 * Where a dead letter came from: the step that gave up on the message or record. Stored in the dead
 * letter's {@code stage} field as {@link #code()} (lower case); the codes are a stable contract, as
 * the {@link Reason} names are: replay tooling and the backfill's recovery select on them.
 */
public enum Stage {
  /** The bytes are not a telemetry message (empty, too large, malformed, or a bug parsing). */
  PARSE,
  /** A telemetry message the validator refused (missing fields, out of range, too old). */
  VALIDATE,
  /** A sink (Kafka, webhook, Cosmos DB, Service Bus, a notification) gave up on a record. */
  SINK,
  /**
   * Not a failure: a backfill found that a message an earlier run dead-lettered is now a valid
   * reading, and this record supersedes that dead letter (reason {@link Reason#RECOVERED}).
   */
  RECOVERED;

  /** The value of a dead letter's {@code stage} field. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a dead letter's {@code stage} field is this stage. */
  public boolean is(String code) {
    return code().equals(code);
  }
}
