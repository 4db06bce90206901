package org.iotbeam.domain.validation;

import java.io.Serializable;

/** Why one message was rejected: a stable reason code and a sentence for a person. */
public record Violation(Reason reason, String detail) implements Serializable {
  @Override
  public String toString() {
    return reason + ": " + detail;
  }
}
