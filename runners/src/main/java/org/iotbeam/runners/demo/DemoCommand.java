package org.iotbeam.runners.demo;

import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar iotbeam-runners-*-shaded.jar demo [--duration 60s] ...}: runs {@link Demo}, prints
 * progress on stderr and the {@link DemoSummary} on stdout. Exit code 0 when every check held, 1
 * when one did not, 2 for bad flags, 3 when the demo itself failed. Ctrl-C stops the simulator and
 * shuts everything down before the JVM exits.
 */
public final class DemoCommand {
  private DemoCommand() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Flink warns once per operator that its (long Beam) name was cut to 80 characters: hundreds
   * of lines that say nothing to someone watching the demo.
   */
  private static void quietLogs() {
    try {
      org.apache.logging.log4j.core.config.Configurator.setLevel(
          "org.apache.flink.metrics.MetricGroup", org.apache.logging.log4j.Level.ERROR);
    } catch (LinkageError e) {
      // another logging backend: leave it as configured
    }
  }

  static int run(String[] args) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println();
      System.err.println(DemoOptions.USAGE);
      return 2;
    }
    if (options.help) {
      System.out.println(DemoOptions.USAGE);
      return 0;
    }
    quietLogs();
    Demo demo = new Demo(options, System.err);
    Thread hook = new Thread(() -> {
      demo.requestStop();
      try {
        demo.awaitFinished(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "demo-shutdown");
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
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // Ctrl-C: the hook is running and waits for us
      }
    }
  }
}
