package org.iotbeam.simulator;

/** Valid-but-unusual behaviour injected into the readings, for the alerting to find. */
public enum AnomalyKind {
  /** One reading far off the device's normal temperature. */
  SPIKE,
  /** Temperature slowly walks away from normal over tens of readings. */
  DRIFT,
  /** Temperature and humidity repeat the same value exactly for tens of readings. */
  STUCK
}
