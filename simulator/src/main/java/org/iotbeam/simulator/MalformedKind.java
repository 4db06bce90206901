package org.iotbeam.simulator;

/** The kinds of bad input the simulator injects; each must end in the pipeline's dead letters. */
public enum MalformedKind {
  /** Bytes that are not a protobuf message at all: parsing fails. */
  RANDOM_BYTES,
  /** A valid message cut short in the middle of a field: parsing fails. */
  TRUNCATED,
  /** Parses, but a reading is physically impossible (e.g. temperature 1000 C, humidity 180 %). */
  OUT_OF_RANGE,
  /** Parses, but device_id is empty. */
  MISSING_DEVICE_ID,
  /** Parses, but the timestamp is a year after the event (and ingest) time. */
  FUTURE_TIMESTAMP
}
