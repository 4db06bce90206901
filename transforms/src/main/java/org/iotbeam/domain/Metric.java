package org.iotbeam.domain;

import java.util.Locale;
import java.util.OptionalDouble;
import org.iotbeam.proto.Telemetry;

/** The numeric quantities a device reports, and how to read each from a message. */
public enum Metric {
  TEMPERATURE {
    @Override
    public OptionalDouble valueOf(Telemetry t) {
      return t.hasTemperature() ? OptionalDouble.of(t.getTemperature()) : OptionalDouble.empty();
    }
  },
  HUMIDITY {
    @Override
    public OptionalDouble valueOf(Telemetry t) {
      return t.hasHumidity() ? OptionalDouble.of(t.getHumidity()) : OptionalDouble.empty();
    }
  },
  PRESSURE {
    @Override
    public OptionalDouble valueOf(Telemetry t) {
      return t.hasPressure() ? OptionalDouble.of(t.getPressure()) : OptionalDouble.empty();
    }
  },
  BATTERY_LEVEL {
    @Override
    public OptionalDouble valueOf(Telemetry t) {
      return t.hasBatteryLevel() ? OptionalDouble.of(t.getBatteryLevel()) : OptionalDouble.empty();
    }
  },
  SIGNAL_STRENGTH {
    @Override
    public OptionalDouble valueOf(Telemetry t) {
      return t.hasSignalStrength()
          ? OptionalDouble.of(t.getSignalStrength())
          : OptionalDouble.empty();
    }
  };

  /** The reading of this metric in {@code t}, empty when the message does not carry it. */
  public abstract OptionalDouble valueOf(Telemetry t);

  /** The name used in records, configuration and metrics: {@code battery_level}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #id()} (case-insensitive); fails with the list of known metrics. */
  public static Metric fromId(String id) {
    for (Metric m : values()) {
      if (m.id().equalsIgnoreCase(id.trim())) {
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
