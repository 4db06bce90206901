package org.iotbeam.runners.faults;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares what two streaming runs over the same input left: a reference run without faults and a
 * run with faults injected ({@code runners/scripts/fault-suite.sh}). Equal must be, in the files
 * and in the Kafka output topics: the final aggregate per id, the alert events (id and state, and
 * what they say), the dead letters by id (reason, detail, payload); in the files also the raw
 * archive by source position (and payload). A run's topics must hold what its files hold.
 * Differences too: an empty aggregate (count 0), a source position archived twice, two different
 * records under one id and pane or state, a Kafka record whose key is not its id. Reported apart:
 * dead letters of sinks (they depend on the faults), identical replayed copies (the Kafka sinks are
 * at-least-once) and the clock device's records ({@link ClockTicks}).
 *
 * <pre>java -cp runners-shaded.jar org.iotbeam.runners.faults.CompareRuns REF_DIR FAULTY_DIR \
 *     [--bootstrap=HOST:PORT --referenceTopics=PREFIX --faultyTopics=PREFIX] [--clockDevice=ID]
 * </pre>
 *
 * Topics are {@code PREFIX-aggregates}, {@code PREFIX-alerts}, {@code PREFIX-dead-letters}. Exit
 * status 0 when equal, 1 when not, 2 on bad arguments.
 */
public final class CompareRuns {
  private CompareRuns() {}

  public static void main(String[] args) {
    List<String> dirs = new ArrayList<>();
    String bootstrap = null;
    String referenceTopics = null;
    String faultyTopics = null;
    String clockDevice = "";
    List<String> problems = new ArrayList<>();
    for (String a : args) {
      String v = a.substring(a.indexOf('=') + 1);
      if (a.startsWith("--bootstrap=")) {
        bootstrap = v;
      } else if (a.startsWith("--referenceTopics=")) {
        referenceTopics = v;
      } else if (a.startsWith("--faultyTopics=")) {
        faultyTopics = v;
      } else if (a.startsWith("--clockDevice=")) {
        clockDevice = v;
      } else if (a.startsWith("--")) {
        problems.add("unknown flag " + a);
      } else {
        dirs.add(a);
      }
    }
    if (dirs.size() != 2) {
      problems.add("two output directories are needed (reference, with faults), got " + dirs);
    }
    if ((bootstrap == null) != (referenceTopics == null)
        || (bootstrap == null) != (faultyTopics == null)) {
      problems.add("--bootstrap, --referenceTopics and --faultyTopics go together");
    }
    if (!problems.isEmpty()) {
      System.err.println(
          "usage: CompareRuns REF_DIR FAULTY_DIR [--bootstrap=HOST:PORT "
              + "--referenceTopics=PREFIX --faultyTopics=PREFIX] [--clockDevice=ID]\n  "
              + String.join("\n  ", problems));
      System.exit(2);
    }
    RunOutputs refFiles = RunOutputs.fromFiles(Path.of(dirs.get(0)), clockDevice);
    RunOutputs gotFiles = RunOutputs.fromFiles(Path.of(dirs.get(1)), clockDevice);
    int differences = compareFiles(refFiles, gotFiles, System.out);
    if (bootstrap != null) {
      differences +=
          compareTopics(
              RunOutputs.fromTopics(bootstrap, referenceTopics, clockDevice),
              RunOutputs.fromTopics(bootstrap, faultyTopics, clockDevice),
              refFiles,
              gotFiles,
              System.out);
    }
    System.out.println(
        differences == 0
            ? "RESULT: equal (0 differences)"
            : "RESULT: " + differences + " difference(s)");
    System.exit(differences == 0 ? 0 : 1);
  }

  /** The files of both runs; prints the report, returns the number of differences found. */
  static int compareFiles(RunOutputs ref, RunOutputs got, PrintStream out) {
    out.println("FILES");
    counts(out, ref, got);
    out.printf("%-34s %12d %12d%n", "raw archive records", ref.archiveRecords, got.archiveRecords);
    int d = records(out, "", ref, got);
    d += diff(out, "raw archive by position", ref.archive, got.archive, h -> h);
    d += list(out, "raw archive positions archived twice (reference)", ref.archivedTwice.keySet());
    d +=
        list(out, "raw archive positions archived twice (with faults)", got.archivedTwice.keySet());
    d += apart(out, ref, got);
    return d;
  }

  /**
   * The Kafka topics of both runs, and each run's topics against its own files; prints the report,
   * returns the number of differences found.
   */
  static int compareTopics(
      RunOutputs ref, RunOutputs got, RunOutputs refFiles, RunOutputs gotFiles, PrintStream out) {
    out.println("KAFKA TOPICS");
    counts(out, ref, got);
    int d = records(out, "", ref, got);
    d += list(out, "records keyed other than by id (reference)", ref.wrongKeys);
    d += list(out, "records keyed other than by id (with faults)", got.wrongKeys);
    d += apart(out, ref, got);
    out.printf("%-34s %12s %12s%n", "topics = files", "files", "topics");
    d += records(out, "reference: ", refFiles, ref);
    d += records(out, "with faults: ", gotFiles, got);
    return d;
  }

  private static void counts(PrintStream out, RunOutputs ref, RunOutputs got) {
    out.printf("%-34s %12s %12s%n", "records", "reference", "with faults");
    out.printf(
        "%-34s %12d %12d%n", "aggregate records", ref.aggregateRecords, got.aggregateRecords);
    out.printf("%-34s %12d %12d%n", "alert events", ref.alertRecords, got.alertRecords);
    out.printf("%-34s %12d %12d%n", "dead letters", ref.deadLetterRecords, got.deadLetterRecords);
  }

  /** Aggregates, alerts, dead letters of {@code b} against {@code a}. */
  private static int records(PrintStream out, String label, RunOutputs a, RunOutputs b) {
    int d =
        diff(
            out,
            label + "final aggregates by id",
            a.aggregates,
            b.aggregates,
            RunOutputs::statistics);
    d += diff(out, label + "alert events by id+state", a.alerts, b.alerts, Object::toString);
    d += diff(out, label + "dead letters by id", a.deadLetters, b.deadLetters, RunOutputs::verdict);
    return d;
  }

  /** Differences found within each run, and what is reported apart. */
  private static int apart(PrintStream out, RunOutputs ref, RunOutputs got) {
    int d = list(out, "empty aggregates (count 0), reference", ref.emptyAggregates.keySet());
    d += list(out, "empty aggregates (count 0), with faults", got.emptyAggregates.keySet());
    d += list(out, "DIFFERENT records under one id (reference)", ref.conflicting);
    d += list(out, "DIFFERENT records under one id (with faults)", got.conflicting);
    out.println("  reported apart, not differences:");
    out.printf(
        "    sink dead letters: reference %d, with faults %d%s%n",
        ref.sinkDeadLetters.size(),
        got.sinkDeadLetters.size(),
        got.sinkDeadLetters.isEmpty() ? "" : " e.g. " + first(got.sinkDeadLetters.keySet()));
    out.printf(
        "    identical replayed copies: reference %d, with faults %d%n",
        ref.replayedCopies, got.replayedCopies);
    out.printf(
        "    clock device records: reference %d, with faults %d%n",
        ref.clockRecords, got.clockRecords);
    return d;
  }

  private static <V> int diff(
      PrintStream out,
      String what,
      Map<String, V> ref,
      Map<String, V> got,
      Function<V, String> show) {
    List<String> problems = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(ref.keySet());
    keys.addAll(got.keySet());
    for (String k : keys) {
      V a = ref.get(k);
      V b = got.get(k);
      if (a == null) {
        problems.add("only in the second: " + k + " = " + show.apply(b));
      } else if (b == null) {
        problems.add("missing in the second: " + k + " = " + show.apply(a));
      } else if (!Objects.equals(show.apply(a), show.apply(b))) {
        problems.add("differs: " + k + ": " + show.apply(a) + " vs " + show.apply(b));
      }
    }
    out.printf(
        "%-34s %12d %12d  %s%n",
        what,
        ref.size(),
        got.size(),
        problems.isEmpty() ? "equal" : problems.size() + " DIFFERENT");
    problems.stream().limit(10).forEach(p -> out.println("    " + p));
    return problems.size();
  }

  private static int list(PrintStream out, String what, Collection<String> found) {
    if (!found.isEmpty()) {
      out.println(what + ": " + found.size() + " e.g. " + first(found));
    }
    return found.size();
  }

  private static String first(Collection<String> c) {
    return c.stream().limit(3).collect(Collectors.joining(", "));
  }
}
