package org.iotbeam.pipelines.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink configuration lines of {@link FlinkBeamMetricsReporter}, and for the embedded runner a
 * configuration directory holding them: the FlinkRunner hands the embedded MiniCluster the
 * configuration it reads from {@code --flinkConfDir} (else env {@code FLINK_CONF_DIR}).
 */
public final class FlinkReporterConfig {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkReporterConfig.class);
  public static final String FACTORY_KEY = "metrics.reporter.iotbeam.factory.class";

  private FlinkReporterConfig() {}

  /** The lines to append to a flink-conf.yaml. */
  public static String lines(String host, int port) {
    return "\n# Beam metrics in Prometheus format (org.iotbeam.pipelines.observability)\n"
        + FACTORY_KEY + ": " + FlinkBeamMetricsReporterFactory.class.getName() + "\n"
        + "metrics.reporter.iotbeam.host: " + host + "\n"
        + "metrics.reporter.iotbeam.port: " + port + "\n";
  }

  /** Whether the job runs in this JVM (embedded MiniCluster). */
  public static boolean isEmbedded(FlinkPipelineOptions f) {
    String master = f.getFlinkMaster();
    return master == null || master.equals("[local]") || master.equals("[auto]")
        || master.isEmpty();
  }

  /**
   * Points {@code --flinkConfDir} at a copy of the current configuration (from --flinkConfDir
   * or FLINK_CONF_DIR, if any) with the reporter added. Embedded runs only: a cluster's task
   * managers read their own conf (runners' flink-conf.yaml).
   */
  public static void enableEmbedded(FlinkPipelineOptions f, String host, int port) {
    try {
      String base = f.getFlinkConfDir() != null ? f.getFlinkConfDir()
          : System.getenv("FLINK_CONF_DIR");
      Path dir = Files.createTempDirectory("iotbeam-flink-conf");
      String fileName = "flink-conf.yaml";
      String existing = "";
      if (base != null) {
        for (String name : List.of("config.yaml", "flink-conf.yaml")) {
          Path p = Path.of(base, name);
          if (Files.isRegularFile(p)) {
            fileName = name;
            existing = Files.readString(p, StandardCharsets.UTF_8);
            break;
          }
        }
      }
      if (existing.contains(FACTORY_KEY)) {
        return; // already configured by hand
      }
      Files.writeString(dir.resolve(fileName), existing + lines(host, port),
          StandardCharsets.UTF_8);
      dir.toFile().deleteOnExit();
      dir.resolve(fileName).toFile().deleteOnExit();
      f.setFlinkConfDir(dir.toString());
      LOG.info("embedded Flink: Beam metrics will be served on http://{}:{}/metrics", host, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration", e);
    }
  }
}
