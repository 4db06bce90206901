package org.iotbeam.testing;

import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertKind;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.Severity;

/** Alert events as DeviceTimeline emits them, for the notification tests. */
public final class AlertFixtures {
  private AlertFixtures() {}

  /** A threshold alert on temperature (threshold 45) of {@code device}, site plant-a. */
  public static Alert raised(
      String device, String rule, Severity severity, int priority, long raisedAtMs, double value) {
    return Alert.newBuilder()
        .setId(device + "|" + rule + "|" + raisedAtMs)
        .setDeviceId(device)
        .setRuleId(rule)
        .setKind(AlertKind.THRESHOLD)
        .setMetric("temperature")
        .setSeverity(severity)
        .setPriority(priority)
        .setState(AlertState.RAISED)
        .setRaisedAtMs(raisedAtMs)
        .setEventTimeMs(raisedAtMs)
        .setValue(value)
        .setThreshold(45.0)
        .setMessage("temperature above 45 C for 3 readings in a row")
        .setDeviceType("cold-room")
        .setSite("plant-a")
        .build();
  }

  /** The clear of {@code raised} at {@code clearedAtMs} with the clearing reading's value. */
  public static Alert cleared(Alert raised, long clearedAtMs, double value) {
    return raised.toBuilder()
        .setState(AlertState.CLEARED)
        .setClearedAtMs(clearedAtMs)
        .setEventTimeMs(clearedAtMs)
        .setValue(value)
        .build();
  }
}
