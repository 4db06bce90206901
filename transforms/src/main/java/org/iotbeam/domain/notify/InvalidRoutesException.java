package org.iotbeam.domain.notify;

import java.util.List;

/** A routes file that cannot work: every problem found, each saying what to fix. */
public class InvalidRoutesException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidRoutesException(String what, List<String> problems) {
    super(what + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
