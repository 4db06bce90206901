package org.iotbeam.domain;

import java.util.List;

/** Configuration (flags, files) that cannot work: every problem found, each saying what to fix. */
public class InvalidConfigException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidConfigException(String what, List<String> problems) {
    super(what + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
