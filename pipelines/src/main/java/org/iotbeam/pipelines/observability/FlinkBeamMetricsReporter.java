package org.iotbeam.pipelines.observability;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink metric reporter that serves the job's Beam metrics, live, in Prometheus text format on
 * {@code http://<host>:<port>/metrics} (default 127.0.0.1, port 9464; 0 picks a free port).
 *
 * <p>While a Flink job runs, Beam metrics exist only as Flink metrics: the runner registers each
 * Beam counter as a Flink counter named {@code <namespace>.<name>} in its operator's group, and
 * each distribution as a Flink gauge whose value is a Beam {@code DistributionResult} (the pipeline
 * result's metrics are filled from accumulators only when the job ends). Flink's own
 * PrometheusReporter exports such a gauge as 0 and binds every interface; this one sums each metric
 * over operators and subtasks, names it with {@link PrometheusNames} (the same names as {@link
 * BeamMetricsExporter}) and exports distributions as summaries plus min/max gauges.
 *
 * <p>Configure it in the Flink configuration (embedded: {@code --flinkConfDir}, which {@link
 * FlinkReporterConfig} writes for {@code --prometheusPort}; cluster: conf/flink-conf.yaml, with the
 * pipelines jar on the cluster's classpath):
 *
 * <pre>
 * metrics.reporter.iotbeam.factory.class: org.iotbeam.pipelines.observability.FlinkBeamMetricsReporterFactory
 * metrics.reporter.iotbeam.host: 127.0.0.1
 * metrics.reporter.iotbeam.port: 9464
 * </pre>
 *
 * Flink's own metrics are not served here; add Flink's PrometheusReporter for those. A negative
 * port serves nothing: the reporter then only collects, for {@link #counters()}.
 *
 * <p>With the embedded runner the job runs in this JVM, so a launcher can also read the live values
 * directly: {@link #counters()} (what the demo watches to know when the pipeline has drained) and
 * {@link #openUrls()} (the endpoint to print).
 */
public class FlinkBeamMetricsReporter implements MetricReporter {
  private static final Logger LOG = LoggerFactory.getLogger(FlinkBeamMetricsReporter.class);
  private static final List<FlinkBeamMetricsReporter> OPEN = new CopyOnWriteArrayList<>();

  /** Registered metric -> its Beam namespace and name. */
  private final Map<Metric, String[]> metrics = new ConcurrentHashMap<>();

  private final Set<String> reportedProblems = ConcurrentHashMap.newKeySet();
  private HTTPServer server;
  private ExecutorService httpThreads;
  private String host;

  @Override
  public void open(MetricConfig config) {
    host = config.getString("host", "127.0.0.1");
    int port = config.getInteger("port", 9464);
    if (port < 0) {
      OPEN.add(this);
      LOG.info("Beam metrics of this Flink process collected, not served (port {})", port);
      return;
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register((MultiCollector) this::collect);
    httpThreads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "iotbeam-metrics-http");
              t.setDaemon(true);
              return t;
            });
    try {
      server =
          HTTPServer.builder()
              .hostname(host)
              .port(port)
              .registry(registry)
              .executorService(httpThreads)
              .buildAndStart();
    } catch (IOException e) {
      httpThreads.shutdownNow();
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
    }
    OPEN.add(this);
    LOG.info("Beam metrics of this Flink process in Prometheus format on {}", url());
  }

  /** {@code http://host:port/metrics}, with the port really bound; null when not serving. */
  public String url() {
    if (server == null) {
      return null;
    }
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + server.getPort() + "/metrics";
  }

  /**
   * The endpoints of the reporters open in this JVM: with the embedded runner, the one to scrape
   * (or print).
   */
  public static List<String> openUrls() {
    return OPEN.stream()
        .map(FlinkBeamMetricsReporter::url)
        .filter(Objects::nonNull)
        .collect(Collectors.toList());
  }

  /**
   * The Beam counters in namespace {@code iotbeam} (TelemetryMetrics) now, by name ({@code
   * messages_received}, {@code dead_letters_malformed_protobuf}, ...), summed over operators and
   * subtasks of every reporter open in this JVM: with the embedded runner, the running job's live
   * counters ({@code PipelineResult.metrics()} stays empty until a streaming job ends). A counter
   * appears once the runner registered it; empty when no reporter is open.
   */
  public static Map<String, Long> counters() {
    Map<String, Long> sums = new TreeMap<>();
    for (FlinkBeamMetricsReporter r : OPEN) {
      r.metrics.forEach(
          (metric, name) -> {
            if (metric instanceof Counter c
                && name[0].equals(org.iotbeam.transforms.TelemetryMetrics.NAMESPACE)) {
              sums.merge(name[1], c.getCount(), Long::sum);
            }
          });
    }
    return sums;
  }

  @Override
  public void close() {
    OPEN.remove(this);
    if (server != null) {
      server.close();
    }
    if (httpThreads != null) {
      httpThreads.shutdownNow();
    }
  }

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    String[] beamName = beamName(metricName);
    if (beamName != null && (metric instanceof Counter || metric instanceof Gauge)) {
      metrics.put(metric, beamName);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    metrics.remove(metric);
  }

  /**
   * {@code iotbeam.messages_received} -> {iotbeam, messages_received}. Beam names its Flink metrics
   * {@code <namespace><delimiter><name>} (delimiter '.' unless configured otherwise); Flink's own
   * metric names carry no delimiter. Only the project's namespace and Beam's source metrics
   * (backlog, elements read) are served.
   */
  static String[] beamName(String metricName) {
    int dot = metricName.indexOf('.');
    if (dot <= 0 || dot == metricName.length() - 1) {
      return null;
    }
    String namespace = metricName.substring(0, dot);
    if (!namespace.equals(org.iotbeam.transforms.TelemetryMetrics.NAMESPACE)) {
      int last = metricName.lastIndexOf('.');
      namespace = metricName.substring(0, last);
      return new String[] {namespace, metricName.substring(last + 1)};
    }
    return new String[] {namespace, metricName.substring(dot + 1)};
  }

  MetricSnapshots collect() {
    MetricSamples m = new MetricSamples();
    long now = System.currentTimeMillis();
    metrics.forEach(
        (metric, name) -> {
          try {
            if (metric instanceof Counter c) {
              m.counter(name[0], name[1], c.getCount());
            } else if (metric instanceof Gauge<?> g) {
              Object v = g.getValue();
              if (v instanceof Number n) {
                m.gauge(name[0], name[1], n.longValue(), now);
              } else if (v != null && isDistribution(v)) {
                m.distribution(
                    name[0],
                    name[1],
                    call(v, "getCount"),
                    call(v, "getSum"),
                    call(v, "getMin"),
                    call(v, "getMax"));
              }
            }
          } catch (RuntimeException e) {
            problem(name[0] + "." + name[1] + ": " + e);
          }
        });
    return m.toSnapshots(this::problem);
  }

  /**
   * A Beam DistributionResult, found by name: on a cluster the job's classes (child-first) are not
   * the ones this reporter was loaded with.
   */
  private static boolean isDistribution(Object v) {
    for (Class<?> c = v.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("org.apache.beam.sdk.metrics.DistributionResult")) {
        return true;
      }
    }
    return false;
  }

  private static long call(Object v, String getter) {
    try {
      Method m = v.getClass().getMethod(getter);
      m.setAccessible(true);
      return ((Number) m.invoke(v)).longValue();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + getter + " of " + v, e);
    }
  }

  private void problem(String what) {
    if (reportedProblems.add(what)) {
      LOG.warn("metric not exported: {}", what);
    }
  }
}
