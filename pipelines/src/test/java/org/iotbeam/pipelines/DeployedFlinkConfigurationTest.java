package org.iotbeam.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.iotbeam.pipelines.observability.FlinkBeamMetricsReporterFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The Flink configuration each environment's FlinkDeployment carries (rendered from the Terraform
 * by terraform/flink-job.mjs) is one Flink 1.19 understands: every key is an option of Flink's own
 * option classes and its value converts to the option's type, except the keys Flink passes on (the
 * Azure file system's {@code fs.azure.*}, a reporter's {@code metrics.reporter.<name>.*}). And the
 * metrics reporter is the project's ({@link FlinkBeamMetricsReporterFactory}, found through
 * META-INF/services as Flink finds it), not Flink's PrometheusReporter, which exports Beam's
 * distributions as 0 (docs/observability.md).
 */
@RunWith(Parameterized.class)
public class DeployedFlinkConfigurationTest {
  /** Where Flink 1.19 declares the options a FlinkDeployment may set. */
  static final List<String> OPTION_CLASSES =
      List.of(
          "org.apache.flink.configuration.CheckpointingOptions",
          "org.apache.flink.configuration.CoreOptions",
          "org.apache.flink.configuration.ExecutionOptions",
          "org.apache.flink.configuration.HighAvailabilityOptions",
          "org.apache.flink.configuration.JobManagerOptions",
          "org.apache.flink.configuration.MetricOptions",
          "org.apache.flink.configuration.PipelineOptions",
          "org.apache.flink.configuration.RestartStrategyOptions",
          "org.apache.flink.configuration.StateBackendOptions",
          "org.apache.flink.configuration.TaskManagerOptions",
          "org.apache.flink.configuration.SecurityOptions",
          "org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions",
          "org.apache.flink.contrib.streaming.state.RocksDBOptions",
          "org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions");

  /** Keys Flink hands to a component rather than declaring as options. */
  static final List<String> PASSED_ON_PREFIXES =
      List.of(
          "fs.azure.", // the Azure file system plugin's Hadoop settings
          "metrics.reporter."); // a reporter's own settings (checked below)

  @Parameters(name = "{0}")
  public static List<String> environments() {
    return List.of("dev", "prod");
  }

  @Parameterized.Parameter public String environment;

  @Test
  public void everyKeyIsAFlinkOptionAndEveryValueHasItsType() throws Exception {
    List<String> problems = problems(DeployedJob.of(environment).flinkConfiguration());
    assertEquals(environment + ": FlinkDeployment configuration", List.of(), problems);
  }

  @Test
  public void theMetricsReporterIsTheProjectsBeamMetricsReporter() {
    Map<String, String> conf = DeployedJob.of(environment).flinkConfiguration();
    Map<String, String> factories = new HashMap<>();
    conf.forEach(
        (k, v) -> {
          if (k.matches("metrics\\.reporter\\.[^.]+\\.factory\\.class")) {
            factories.put(k.split("\\.")[2], v);
          }
        });
    assertEquals(
        environment + ": one reporter, the project's",
        Map.of("iotbeam", FlinkBeamMetricsReporterFactory.class.getName()),
        factories);
    boolean registered = false;
    for (MetricReporterFactory f : ServiceLoader.load(MetricReporterFactory.class)) {
      registered |= f.getClass() == FlinkBeamMetricsReporterFactory.class;
    }
    assertTrue("FlinkBeamMetricsReporterFactory is in META-INF/services", registered);
    int port = Integer.parseInt(conf.get("metrics.reporter.iotbeam.port"));
    assertTrue("a port " + port, port > 0 && port < 65536);
    assertEquals(
        "pods are scraped from outside", "0.0.0.0", conf.get("metrics.reporter.iotbeam.host"));
  }

  @Test
  public void selfTestAMisspeltKeyAndAWrongValueAreReported() throws Exception {
    assertEquals(
        List.of(
            "execution.checkpointing.intervall: not a Flink 1.19 option",
            "execution.checkpointing.mode=ONCE: does not convert to its type (CheckpointingMode)"),
        problems(
            Map.of(
                "execution.checkpointing.intervall",
                "60s",
                "execution.checkpointing.mode",
                "ONCE",
                "fs.azure.account.auth.type.x.dfs.core.windows.net",
                "Custom")));
  }

  static List<String> problems(Map<String, String> conf) throws Exception {
    Map<String, ConfigOption<?>> options = flinkOptions();
    List<String> problems = new ArrayList<>();
    new java.util.TreeMap<>(conf)
        .forEach(
            (key, value) -> {
              ConfigOption<?> option = options.get(key);
              if (option == null) {
                if (PASSED_ON_PREFIXES.stream().noneMatch(key::startsWith)) {
                  problems.add(key + ": not a Flink 1.19 option");
                }
                return;
              }
              try {
                Configuration c = new Configuration();
                c.setString(key, value);
                c.get(option);
              } catch (RuntimeException e) {
                problems.add(
                    key
                        + "="
                        + value
                        + ": does not convert to its type ("
                        + typeName(option)
                        + ")");
              }
            });
    return problems;
  }

  private static String typeName(ConfigOption<?> option) {
    try {
      Method getClazz = ConfigOption.class.getDeclaredMethod("getClazz");
      getClazz.setAccessible(true);
      return ((Class<?>) getClazz.invoke(option)).getSimpleName();
    } catch (ReflectiveOperationException e) {
      return "?";
    }
  }

  /** Every ConfigOption of {@link #OPTION_CLASSES} by key, fallback and deprecated key. */
  static Map<String, ConfigOption<?>> flinkOptions() throws Exception {
    Map<String, ConfigOption<?>> byKey = new HashMap<>();
    for (String name : OPTION_CLASSES) {
      for (Field f : Class.forName(name).getFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && ConfigOption.class.isAssignableFrom(f.getType())) {
          ConfigOption<?> o = (ConfigOption<?>) f.get(null);
          byKey.put(o.key(), o);
          for (FallbackKey k : o.fallbackKeys()) {
            byKey.putIfAbsent(k.getKey(), o);
          }
        }
      }
    }
    return byKey;
  }
}
