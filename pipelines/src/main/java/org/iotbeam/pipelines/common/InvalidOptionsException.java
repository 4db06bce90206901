package org.iotbeam.pipelines.common;

import java.util.List;

/** Flags or files that cannot work, every problem listed, each saying what to fix. */
public class InvalidOptionsException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidOptionsException(String what, List<String> problems) {
    super(what + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
