package org.iotbeam.pipelines.observability;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.iotbeam.pipelines.flink.EmbeddedFlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a pipeline's Beam metrics in Prometheus text format on {@code
 * http://127.0.0.1:<port>/metrics} by polling {@link PipelineResult#metrics()} every few seconds,
 * named by {@link PrometheusNames}: counters, distributions as summaries (exact count and sum) plus
 * exact min/max gauges, gauges. Values are summed over steps ("attempted" values).
 *
 * <p>For runners whose pipeline result has live metrics (Direct) and for a finished job. On Flink a
 * running job's Beam metrics live only in Flink's metric system (the result is filled from
 * accumulators when the job ends), so there {@link FlinkBeamMetricsReporter} serves the same names;
 * {@link #prepare} sets it up for the embedded runner.
 */
public final class BeamMetricsExporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BeamMetricsExporter.class);

  private final Supplier<MetricQueryResults> source;
  private final HTTPServer server;
  private final String host;
  private final ScheduledExecutorService poller;
  private final ExecutorService httpThreads;
  private final AtomicReference<MetricSnapshots> last = new AtomicReference<>(MetricSnapshots.of());
  private final AtomicLong polls = new AtomicLong();
  private final Set<String> reportedProblems = new HashSet<>();

  private BeamMetricsExporter(
      Supplier<MetricQueryResults> source, String host, int port, int pollSeconds)
      throws IOException {
    this.source = source;
    this.host = host;
    this.poller = Executors.newSingleThreadScheduledExecutor(daemon("iotbeam-metrics-poll"));
    this.httpThreads = Executors.newFixedThreadPool(2, daemon("iotbeam-metrics-http"));
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register((MultiCollector) last::get);
    this.server =
        HTTPServer.builder()
            .hostname(host)
            .port(port)
            .registry(registry)
            .executorService(httpThreads)
            .buildAndStart();
    poll();
    poller.scheduleWithFixedDelay(this::poll, pollSeconds, pollSeconds, TimeUnit.SECONDS);
    LOG.info("Beam metrics in Prometheus format on {}", url());
  }

  /** Starts serving the metrics of {@code result} on host:port (port 0: any free port). */
  public static BeamMetricsExporter start(
      PipelineResult result, String host, int port, int pollSeconds) {
    return start(() -> result.metrics().allMetrics(), host, port, pollSeconds);
  }

  /** Starts serving whatever {@code source} returns; for tests and other launchers. */
  public static BeamMetricsExporter start(
      Supplier<MetricQueryResults> source, String host, int port, int pollSeconds) {
    try {
      return new BeamMetricsExporter(source, host, port, Math.max(1, pollSeconds));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
    }
  }

  /**
   * Call before running the pipeline. With {@code --prometheusPort} on the Flink runner, the
   * metrics are served by {@link FlinkBeamMetricsReporter} inside Flink: for the embedded runner
   * this adds it to the configuration the MiniCluster starts with; a cluster must have it in its
   * own flink-conf.yaml (runners/src/main/flink/conf).
   */
  public static void prepare(PipelineOptions options) {
    ObservabilityOptions o = options.as(ObservabilityOptions.class);
    if (o.getPrometheusPort() == null
        || o.getPrometheusPort() <= 0
        || !EmbeddedFlink.isFlink(options)) {
      return;
    }
    FlinkPipelineOptions f = options.as(FlinkPipelineOptions.class);
    if (EmbeddedFlink.isEmbedded(f)) {
      FlinkReporterConfig.enableEmbedded(f, o.getPrometheusHost(), o.getPrometheusPort());
    } else {
      LOG.info(
          "Flink cluster {}: its flink-conf.yaml must configure the reporter:{}",
          f.getFlinkMaster(),
          FlinkReporterConfig.lines(o.getPrometheusHost(), o.getPrometheusPort()));
    }
  }

  /**
   * After the pipeline started: on runners whose {@link PipelineResult#metrics()} is live (the
   * Direct runner) an exporter polling it; null when {@code --prometheusPort} is 0 or on Flink,
   * where the job's metrics reach the pipeline result only when the job ends and the reporter
   * ({@link #prepare}) serves them instead.
   */
  public static BeamMetricsExporter startIfEnabled(PipelineResult result, PipelineOptions options) {
    ObservabilityOptions o = options.as(ObservabilityOptions.class);
    if (o.getPrometheusPort() == null
        || o.getPrometheusPort() <= 0
        || EmbeddedFlink.isFlink(options)) {
      return null;
    }
    return start(result, o.getPrometheusHost(), o.getPrometheusPort(), o.getMetricsPollSeconds());
  }

  /** {@code http://host:port/metrics}, with the port really bound. */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + server.getPort() + "/metrics";
  }

  public int port() {
    return server.getPort();
  }

  /** How many polls have completed; a poll that failed keeps the previous values. */
  public long polls() {
    return polls.get();
  }

  /** Polls now (the scheduled polls go on). */
  public void pollNow() {
    poll();
  }

  private synchronized void poll() {
    try {
      MetricSnapshots s = toSnapshots(source.get());
      // a finished or unreachable job reports nothing: keep the last values rather than zeros
      if (s.size() > 0 || last.get().size() == 0) {
        last.set(s);
      }
      polls.incrementAndGet();
    } catch (RuntimeException e) {
      LOG.warn("could not poll the pipeline's metrics: {}", e.toString());
    }
  }

  private MetricSnapshots toSnapshots(MetricQueryResults q) {
    MetricSamples m = new MetricSamples();
    for (MetricResult<Long> r : q.getCounters()) {
      Long v = r.getAttempted();
      m.counter(r.getName().getNamespace(), r.getName().getName(), v == null ? 0L : v);
    }
    for (MetricResult<DistributionResult> r : q.getDistributions()) {
      DistributionResult d = r.getAttempted();
      if (d != null) {
        m.distribution(
            r.getName().getNamespace(),
            r.getName().getName(),
            d.getCount(),
            d.getSum(),
            d.getMin(),
            d.getMax());
      }
    }
    for (MetricResult<GaugeResult> r : q.getGauges()) {
      GaugeResult g = r.getAttempted();
      if (g != null) {
        m.gauge(
            r.getName().getNamespace(),
            r.getName().getName(),
            g.getValue(),
            g.getTimestamp().getMillis());
      }
    }
    return m.toSnapshots(this::problem);
  }

  private void problem(String what) {
    if (reportedProblems.add(what)) {
      LOG.warn("metric not exported: {}", what);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    poller.shutdownNow();
    server.close();
    httpThreads.shutdownNow();
  }
}
