package org.iotbeam.pipelines.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Collects every problem with a command's flags, from each options interface's own check ({@code
 * FileOutputOptions.problems}, {@code KafkaOptions.problems}, ...), so that the command fails once,
 * listing all of them, instead of on the first.
 */
public final class OptionProblems {
  private final List<String> problems = new ArrayList<>();

  /** Adds a check's problems. */
  public OptionProblems add(Collection<String> more) {
    problems.addAll(more);
    return this;
  }

  /** Adds one problem, if there is one. */
  public OptionProblems add(Optional<String> problem) {
    problem.ifPresent(problems::add);
    return this;
  }

  /** Adds {@code problem} when {@code bad}. */
  public OptionProblems addIf(boolean bad, String problem) {
    if (bad) {
      problems.add(problem);
    }
    return this;
  }

  /**
   * What {@code parse} returns, or null when it throws {@link InvalidOptionsException}: its
   * problems are then added.
   */
  public <T> T parse(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidOptionsException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  public List<String> list() {
    return List.copyOf(problems);
  }

  /**
   * @throws InvalidOptionsException listing every problem collected, if there is any
   */
  public void throwIfAny(String what) {
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(what, List.copyOf(problems));
    }
  }
}
