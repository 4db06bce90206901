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
 */
public final class Main {
  record Command(Consumer<String[]> main, String summary) {}

  static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("streaming", new Command(StreamingPipeline::main,
        "Kafka/Event Hubs -> TelemetryProcessing -> files, Kafka topics, webhook "
            + "(org.iotbeam.pipelines.StreamingPipeline; --help for its flags)"));
    COMMANDS.put("demo", new Command(org.iotbeam.runners.demo.DemoCommand::main,
        "the whole platform in this JVM for a minute (Kafka, MQTT, bridge, Flink embedded, "
            + "simulator), then a summary (--help for its flags)"));
    COMMANDS.put("backfill", new Command(BackfillPipeline::main,
        "raw archive [--from, --to) -> TelemetryProcessing -> the same files, batch "
            + "(org.iotbeam.pipelines.batch.BackfillPipeline; --help for its flags)"));
  }

  private Main() {}

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
      COMMANDS.get(args[0]).main().accept(Arrays.copyOfRange(args, 1, args.length));
    } catch (IllegalArgumentException e) {
      // a bad flag or file: the message says what to fix; a stack trace would only bury it
      System.err.println(args[0] + ": " + e.getMessage());
      System.exit(2);
    }
  }
}
