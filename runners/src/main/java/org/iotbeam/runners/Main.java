package org.iotbeam.runners;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.batch.BackfillPipeline;

/**
 * The runnable jar's entry point: {@code java -jar iotbeam-runners-shaded.jar <command> [--flags]}.
 *
 * <p>To add a command, add one line to {@link #COMMANDS}: a name, the main method, a summary.
 *
 * <p>Every pipeline command runs on Flink unless told otherwise: {@code --runner=FlinkRunner} is
 * added when no {@code --runner} is given, and without {@code --flinkMaster} that is Flink
 * embedded in this JVM (or the cluster of {@code flink run}). The DirectRunner, for tests, must be
 * asked for ({@code --runner=DirectRunner}): it checks every element and is many times slower.
 */
public final class Main {
  /** A command; {@code beamFlags}: its arguments are Beam pipeline options. */
  record Command(Consumer<String[]> main, String summary, boolean beamFlags) {}

  static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("streaming", new Command(StreamingPipeline::main,
        "Kafka/Event Hubs -> TelemetryProcessing -> files, Kafka topics, webhook, on Flink "
            + "(org.iotbeam.pipelines.StreamingPipeline; --help for its flags)", true));
    COMMANDS.put("demo", new Command(org.iotbeam.runners.demo.DemoCommand::main,
        "the whole platform in this JVM for a minute (Kafka, MQTT, bridge, Flink embedded, "
            + "simulator), then a summary (--help for its flags)", false));
    COMMANDS.put("backfill", new Command(BackfillPipeline::main,
        "archive (raw or Event Hubs Capture) [--from, --to) -> TelemetryProcessing -> the "
            + "streaming sinks, batch on Flink "
            + "(org.iotbeam.pipelines.batch.BackfillPipeline; --help for its flags)", true));
  }

  private Main() {}

  /** {@code args} with {@code --runner=FlinkRunner} added when they name no runner. */
  static String[] onFlinkByDefault(String[] args) {
    for (String a : args) {
      if (a.equals("--runner") || a.startsWith("--runner=") || a.equals("--help")
          || a.startsWith("--help=")) {
        return args;
      }
    }
    String[] out = Arrays.copyOf(args, args.length + 1);
    out[args.length] = "--runner=FlinkRunner";
    return out;
  }

  public static void main(String[] args) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")
        || !COMMANDS.containsKey(args[0])) {
      if (args.length > 0 && !COMMANDS.containsKey(args[0]) && !args[0].startsWith("-")) {
        System.err.println("unknown command '" + args[0] + "'");
      }
      System.err.println("usage: java -jar iotbeam-runners-shaded.jar <command> [--flag=value...]");
      System.err.println("commands:");
      COMMANDS.forEach((name, c) -> System.err.printf("  %-10s %s%n", name, c.summary()));
      System.exit(args.length == 0 || args[0].startsWith("-") ? 0 : 2);
      return;
    }
    try {
      Command command = COMMANDS.get(args[0]);
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      command.main().accept(command.beamFlags() ? onFlinkByDefault(rest) : rest);
    } catch (IllegalArgumentException e) {
      // a bad flag or file: the message says what to fix; a stack trace would only bury it
      System.err.println(args[0] + ": " + e.getMessage());
      System.exit(2);
    }
  }
}
