package org.iotbeam.runners.demo;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.iotbeam.cli.Flags;

/**
 * {@code java -jar iotbeam-runners-*-shaded.jar demo [--duration=60s] ...}: runs {@link Demo},
 * prints progress on stderr and the {@link DemoSummary} on stdout. Exit code 0 when every check
 * held, 1 when one did not, 2 for bad flags, 3 when the demo itself failed. Ctrl-C stops the
 * simulator and shuts everything down before the JVM exits.
 */
public final class DemoCommand {
  private DemoCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Progress lines are the demo's voice; the brokers and the runner log at INFO a lot (Moquette
   * logs every PUBACK, Kafka its whole configuration, Flink warns once per operator that its Beam
   * name was cut to 80 characters). Without {@code --verbose}: warnings and errors only, the
   * project's own loggers at INFO.
   */
  private static void quietLogs(boolean verbose) {
    if (verbose) {
      return;
    }
    try {
      org.apache.logging.log4j.core.config.Configurator.setRootLevel(
          org.apache.logging.log4j.Level.WARN);
      org.apache.logging.log4j.core.config.Configurator.setLevel(
          "org.iotbeam", org.apache.logging.log4j.Level.INFO);
      org.apache.logging.log4j.core.config.Configurator.setLevel(
          "org.apache.flink.metrics.MetricGroup", org.apache.logging.log4j.Level.ERROR);
      for (String chatty :
          new String[] {
            "io.moquette",
            "kafka",
            "org.apache.kafka",
            "state.change.logger",
            "org.apache.flink",
            "org.apache.beam"
          }) {
        org.apache.logging.log4j.core.config.Configurator.setLevel(
            chatty, org.apache.logging.log4j.Level.WARN);
      }
    } catch (LinkageError e) {
      // another logging backend: leave it as configured
    }
  }

  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  /** The command line: {@code --help}, every bad flag (exit 2), or the demo. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return Flags.run(
        DemoOptions.COMMAND,
        DemoOptions.ABOUT,
        DemoFlags.class,
        (flags, problems) -> DemoOptions.from(flags, problems),
        args,
        out,
        err,
        flags -> run(DemoOptions.from(flags, new java.util.ArrayList<>())));
  }

  private static int run(DemoOptions options) {
    quietLogs(options.verbose);
    Demo demo = new Demo(options, System.err);
    CountDownLatch printed = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              // Ctrl-C: stop the simulator, let run() drain, shut down and print, then let the JVM
              // go
              demo.requestStop();
              try {
                printed.await(90, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      DemoSummary summary = demo.run();
      System.out.print(summary.format());
      System.out.flush();
      return summary.problems().isEmpty() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("the demo failed: " + e);
      e.printStackTrace(System.err);
      return 3;
    } finally {
      printed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // Ctrl-C: the hook is running and waits for us
      }
    }
  }
}
