package org.iotbeam.pipelines.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that configures Flink embedded: the MiniCluster the FlinkRunner starts in this JVM
 * for {@code --flinkMaster=[local]} (or {@code [auto]} outside a cluster), which the demo, the
 * tests and local runs use.
 *
 * <p>Local means local. Left to its defaults the MiniCluster's REST endpoint and blob server listen
 * on every interface, and anyone who reaches the machine can read every pipeline option ({@code GET
 * /jobs/<id>/config}) and cancel the job. {@link #configure} binds them (and the JobManager's and
 * TaskManager's RPC and data ports, where the MiniCluster opens any) to 127.0.0.1 and turns off
 * cancelling and submitting from the web UI, unless the configuration the user gave already sets a
 * key: {@code web.cancel.enable: true} in their flink-conf.yaml asks for cancelling.
 *
 * <p>How the runner takes a configuration: {@code FlinkExecutionEnvironments} loads it from {@code
 * --flinkConfDir}, else the directory in env {@code FLINK_CONF_DIR} ({@code
 * GlobalConfiguration.loadConfiguration}), and hands it to the local environment. So {@link
 * #configure} writes a copy of that file with the keys added and points {@code --flinkConfDir} at
 * the copy. A cluster ({@code --flinkMaster=host:port}) is left alone: its own flink-conf.yaml
 * decides (runners/src/main/flink/conf binds it to 127.0.0.1 too).
 */
public final class EmbeddedFlink {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFlink.class);

  /** The {@code --flinkMaster} of Flink embedded. */
  public static final String LOCAL_MASTER = "[local]";

  /** What every embedded Flink gets unless its configuration says otherwise. */
  public static final Map<String, String> LOCAL_ONLY = localOnly();

  private EmbeddedFlink() {}

  private static Map<String, String> localOnly() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("rest.bind-address", "127.0.0.1");
    m.put("rest.address", "127.0.0.1");
    m.put("jobmanager.bind-host", "127.0.0.1"); // also the blob server's address
    m.put("jobmanager.rpc.address", "127.0.0.1");
    m.put("taskmanager.bind-host", "127.0.0.1");
    m.put("taskmanager.host", "127.0.0.1");
    m.put("web.cancel.enable", "false");
    m.put("web.submit.enable", "false");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Whether the pipeline runs on the Flink runner, embedded or on a cluster. */
  public static boolean isFlink(PipelineOptions options) {
    return options.getRunner() != null && FlinkRunner.class.isAssignableFrom(options.getRunner());
  }

  /** Whether the pipeline runs on Flink embedded: a MiniCluster in this JVM. */
  public static boolean isEmbedded(PipelineOptions options) {
    return isFlink(options) && isEmbedded(options.as(FlinkPipelineOptions.class));
  }

  /** Whether Flink options with this {@code --flinkMaster} start a MiniCluster in this JVM. */
  public static boolean isEmbedded(FlinkPipelineOptions f) {
    String master = f.getFlinkMaster();
    return master == null
        || master.isEmpty()
        || master.equals(LOCAL_MASTER)
        || master.equals("[auto]");
  }

  /** Runs the pipeline on Flink embedded; returns its Flink options to set further. */
  public static FlinkPipelineOptions use(PipelineOptions options) {
    options.setRunner(FlinkRunner.class);
    FlinkPipelineOptions f = options.as(FlinkPipelineOptions.class);
    f.setFlinkMaster(LOCAL_MASTER);
    return f;
  }

  /**
   * Checkpoints to files under {@code dir}: Flink embedded's default keeps them in the JobManager's
   * memory, 5 MB a state, which an unbounded run outgrows; every checkpoint then fails, files are
   * never finalized and the job restarts. (A cluster brings its own checkpoint storage in its
   * flink-conf.yaml.)
   */
  public static void checkpointToFiles(FlinkPipelineOptions f, Path dir) {
    f.setStateBackend("filesystem");
    f.setStateBackendStoragePath(dir.toUri().toString());
  }

  /** {@link #configure(FlinkPipelineOptions, Map)} when the runner is Flink embedded. */
  public static void configureIfEmbedded(PipelineOptions options) {
    if (isFlink(options)) {
      configure(options.as(FlinkPipelineOptions.class), Map.of());
    }
  }

  /**
   * For an embedded run: points {@code --flinkConfDir} at a copy of the current configuration
   * ({@code --flinkConfDir}, else env {@code FLINK_CONF_DIR}, else none) to which every key of
   * {@code extra}, then of {@link #LOCAL_ONLY}, that it does not set yet is added. Does nothing for
   * a cluster. Keys are matched in the flat {@code key: value} form of flink-conf.yaml.
   */
  public static void configure(FlinkPipelineOptions f, Map<String, String> extra) {
    if (!isEmbedded(f)) {
      return;
    }
    String base =
        f.getFlinkConfDir() != null && !f.getFlinkConfDir().isEmpty()
            ? f.getFlinkConfDir()
            : System.getenv("FLINK_CONF_DIR");
    try {
      String fileName = "flink-conf.yaml";
      String existing = "";
      if (base != null && !base.isEmpty()) {
        // Flink 1.19 reads config.yaml when there is one, else the legacy flink-conf.yaml
        for (String name : List.of("config.yaml", "flink-conf.yaml")) {
          Path p = Path.of(base, name);
          if (Files.isRegularFile(p)) {
            fileName = name;
            existing = Files.readString(p, StandardCharsets.UTF_8);
            break;
          }
        }
      }
      StringBuilder added = new StringBuilder();
      Map<String, String> all = new LinkedHashMap<>(extra);
      LOCAL_ONLY.forEach(all::putIfAbsent);
      for (Map.Entry<String, String> e : all.entrySet()) {
        if (!sets(existing, e.getKey())) {
          added.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
      }
      if (added.length() == 0 && base != null) {
        return; // the given configuration sets everything already
      }
      Path dir = Files.createTempDirectory("iotbeam-flink-conf");
      Path file = dir.resolve(fileName);
      String text =
          existing
              + (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n")
              + "# added by org.iotbeam.pipelines.flink.EmbeddedFlink\n"
              + added;
      Files.writeString(file, text, StandardCharsets.UTF_8);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      f.setFlinkConfDir(dir.toString());
      LOG.info("Flink embedded: configuration in {} (REST and blob server on 127.0.0.1)", file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink configuration", e);
    }
  }

  /** Whether a flink-conf.yaml text sets {@code key} (a line {@code key: ...}). */
  static boolean sets(String conf, String key) {
    return Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*:").matcher(conf).find();
  }
}
