package org.iotbeam.domain.validation;

import java.io.Serializable;

/** The physically possible values of a metric, inclusive. Readings outside are sensor faults. */
public record ValueRange(double min, double max) implements Serializable {
  public ValueRange {
    if (!(min <= max)) {
      throw new IllegalArgumentException(
          "range min must be <= max, was [" + min + ", " + max + "]");
    }
  }

  public boolean contains(double v) {
    return v >= min && v <= max; // false for NaN
  }
}
