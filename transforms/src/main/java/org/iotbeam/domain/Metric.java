package org.iotbeam.domain;

import java.util.Locale;
import java.util.OptionalDouble;
import org.iotbeam.proto.Telemetry;

/** The numeric quantities a device reports, and how to read each from a message. */
public enum Metric {
  TEMPERATURE,
  HUMIDITY,
  PRESSURE,
  BATTERY_LEVEL,
  SIGNAL_STRENGTH;

  private final String id = name().toLowerCase(Locale.ROOT);

  /** The reading of this metric in {@code t}, empty when the message does not carry it. */
  public OptionalDouble valueOf(Telemetry t) {
    // one method with a switch, not one override per constant: a call site that loops over the
    // metrics stays monomorphic, is inlined, and the OptionalDouble never reaches the heap
    return isIn(t) ? OptionalDouble.of(valueIn(t)) : OptionalDouble.empty();
  }

  /** Whether {@code t} carries this metric. */
  public boolean isIn(Telemetry t) {
    return switch (this) {
      case TEMPERATURE -> t.hasTemperature();
      case HUMIDITY -> t.hasHumidity();
      case PRESSURE -> t.hasPressure();
      case BATTERY_LEVEL -> t.hasBatteryLevel();
      case SIGNAL_STRENGTH -> t.hasSignalStrength();
    };
  }

  /** This metric's value in {@code t}: the proto default when {@link #isIn} is false. */
  public double valueIn(Telemetry t) {
    return switch (this) {
      case TEMPERATURE -> t.getTemperature();
      case HUMIDITY -> t.getHumidity();
      case PRESSURE -> t.getPressure();
      case BATTERY_LEVEL -> t.getBatteryLevel();
      case SIGNAL_STRENGTH -> t.getSignalStrength();
    };
  }

  /** The name used in records, configuration and metrics: {@code battery_level}. */
  public String id() {
    return id;
  }

  /** Parses {@link #id()} (case-insensitive); fails with the list of known metrics. */
  public static Metric fromId(String id) {
    for (Metric m : values()) {
      if (m.id.equalsIgnoreCase(id.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown metric '" + id + "'; known metrics: " + java.util.Arrays.toString(ids()));
  }

  public static String[] ids() {
    Metric[] all = values();
    String[] ids = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      ids[i] = all[i].id();
    }
    return ids;
  }
}
