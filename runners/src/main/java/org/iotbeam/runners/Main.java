package org.iotbeam.runners;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.bridge.MqttKafkaBridge;
import org.iotbeam.cli.Flags;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.azure.cosmos.CosmosQueryCommand;
import org.iotbeam.pipelines.batch.BackfillPipeline;
import org.iotbeam.runners.demo.DemoCommand;
import org.iotbeam.simulator.DeviceSimulator;

/**
 * The one entry point: {@code ./iotbeam <command> [flags]}, or {@code java -jar
 * iotbeam-runners-shaded.jar <command> [flags]}. {@code --help} lists the commands, {@code
 * <command> --help} a command's flags. One flag style for every command: Beam pipeline options,
 * {@code --camelCaseName=value} (or {@code --camelCaseName value}). Exit code 2: an unknown
 * command, or bad flags (every problem listed at once).
 *
 * <p>To add a command, add one entry to {@link #COMMANDS}: a name, how it runs, a summary.
 *
 * <p>Every pipeline command runs on Flink unless told otherwise: {@code --runner=FlinkRunner} is
 * added when no {@code --runner} is given, and without {@code --flinkMaster} that is Flink embedded
 * in this JVM (or the cluster of {@code flink run}). The DirectRunner, for tests, must be asked for
 * ({@code --runner=DirectRunner}): it checks every element and is many times slower.
 */
public final class Main {
  /** Runs a command's arguments and says its exit code. */
  @FunctionalInterface
  interface Runner {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  /**
   * A command. Every command's flags are Beam pipeline options ({@code --name=value} or {@code
   * --name value}, parsed by {@link Flags}). {@code beamOptions}: a pipeline's options interface
   * (the Flink runner by default, {@code --help} lists them with Beam's help); null for a tool
   * command, which prints its own {@code --help} through {@link Flags}.
   */
  record Command(Runner runner, String summary, Class<? extends PipelineOptions> beamOptions) {
    boolean beamFlags() {
      return beamOptions != null;
    }
  }

  static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put(
        "streaming",
        pipeline(
            StreamingPipeline::main,
            StreamingPipeline.Options.class,
            "Kafka/Event Hubs -> TelemetryProcessing -> raw archive, files, Kafka topics, Azure "
                + "sinks, webhook, notifications; unbounded, on Flink"));
    COMMANDS.put(
        "backfill",
        pipeline(
            BackfillPipeline::main,
            BackfillPipeline.Options.class,
            "raw archive or Event Hubs Capture files, event-time range [--from, --to) -> "
                + "TelemetryProcessing -> streaming's sinks; batch, on Flink"));
    COMMANDS.put(
        "demo",
        new Command(
            DemoCommand::run,
            "the whole platform in this JVM for a minute (Kafka, MQTT, bridge, Flink embedded, "
                + "simulator), then a summary",
            null));
    COMMANDS.put(
        "simulate",
        new Command(
            (args, out, err) -> DeviceSimulator.execute(out, err, args),
            "the device simulator: N devices publishing protobuf telemetry to MQTT, Kafka or files",
            null));
    COMMANDS.put(
        "bridge",
        new Command(
            (args, out, err) -> MqttKafkaBridge.execute(out, err, args),
            "the MQTT -> Kafka bridge standing in for IoT Hub routing to Event Hubs",
            null));
    COMMANDS.put(
        "query",
        new Command(
            CosmosQueryCommand::run,
            "the latest statistics and active alerts of a device in Cosmos DB",
            null));
  }

  private Main() {}

  private static Command pipeline(
      Consumer<String[]> main, Class<? extends PipelineOptions> options, String summary) {
    return new Command(
        (args, out, err) -> {
          PipelineOptionsFactory.register(options);
          // every unknown flag and bad value at once, before the pipeline's own checks
          main.accept(Flags.checkPipeline(options, onFlinkByDefault(args)));
          return 0;
        },
        summary,
        options);
  }

  /** {@code args} with {@code --runner=FlinkRunner} added when they name no runner. */
  static String[] onFlinkByDefault(String[] args) {
    for (String a : args) {
      if (a.equals("--runner")
          || a.startsWith("--runner=")
          || a.equals("--help")
          || a.startsWith("--help=")) {
        return args;
      }
    }
    String[] out = Arrays.copyOf(args, args.length + 1);
    out[args.length] = "--runner=FlinkRunner";
    return out;
  }

  static void usage(PrintStream to) {
    to.println(
        "usage: iotbeam <command> [flags]       (java -jar iotbeam-runners-shaded.jar "
            + "<command> [flags])");
    to.println("       iotbeam <command> --help        the command's flags");
    to.println(
        "flags: --name=value or --name value (camelCase, e.g. --windowMinutes=5); a "
            + "boolean flag alone means true");
    to.println("commands:");
    COMMANDS.forEach((name, c) -> to.printf("  %-10s %s%n", name, c.summary()));
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /** Runs the command line; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      usage(err);
      return 2;
    }
    if (isHelp(args[0])) {
      usage(out);
      return 0;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println("iotbeam: unknown command '" + args[0] + "'");
      usage(err);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (command.beamFlags() && Arrays.stream(rest).anyMatch(Main::isHelp)) {
      out.println("iotbeam " + args[0] + ": " + command.summary());
      out.println(
          "Flags are Beam pipeline options (--name=value), listed below by the "
              + "interface that declares them. The runner is Flink (--runner=FlinkRunner is added "
              + "when none is given); its own flags (--flinkMaster, --parallelism, "
              + "--checkpointingInterval, ...): --help=FlinkPipelineOptions.");
      out.println();
      PipelineOptionsFactory.printHelp(out, command.beamOptions());
      return 0;
    }
    try {
      return command.runner().run(rest, out, err);
    } catch (Flags.BadFlags e) {
      Flags.report(err, "iotbeam " + args[0], e);
      return Flags.BAD_FLAGS;
    } catch (IllegalArgumentException e) {
      // a bad flag or file: the message says what to fix; a stack trace would only bury it
      err.println(args[0] + ": " + e.getMessage());
      return 2;
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }
}
