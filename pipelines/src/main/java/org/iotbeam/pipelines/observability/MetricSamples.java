package org.iotbeam.pipelines.observability;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Beam metric values gathered from many steps, operators and subtasks, summed per Prometheus series
 * ({@link PrometheusNames}) and turned into Prometheus snapshots: counters, distributions as
 * summaries (exact count and sum) plus exact {@code _min} / {@code _max} gauges, and gauges.
 */
final class MetricSamples {
  private final Map<String, Map<Labels, Long>> counters = new TreeMap<>();
  private final Map<String, Map<Labels, long[]>> distributions = new TreeMap<>();
  private final Map<String, Map<Labels, long[]>> gauges = new TreeMap<>(); // value, timestamp

  void counter(String namespace, String name, long value) {
    PrometheusNames.Series s = PrometheusNames.of(namespace, name);
    counters.computeIfAbsent(s.family(), k -> new TreeMap<>()).merge(labels(s), value, Long::sum);
  }

  void distribution(String namespace, String name, long count, long sum, long min, long max) {
    if (count <= 0) {
      return;
    }
    PrometheusNames.Series s = PrometheusNames.of(namespace, name);
    distributions
        .computeIfAbsent(s.family(), k -> new TreeMap<>())
        .merge(
            labels(s),
            new long[] {count, sum, min, max},
            (a, b) ->
                new long[] {a[0] + b[0], a[1] + b[1], Math.min(a[2], b[2]), Math.max(a[3], b[3])});
  }

  /** The latest value wins (by timestamp) when several report the same gauge. */
  void gauge(String namespace, String name, long value, long timestampMs) {
    PrometheusNames.Series s = PrometheusNames.of(namespace, name);
    gauges
        .computeIfAbsent(s.family(), k -> new TreeMap<>())
        .merge(labels(s), new long[] {value, timestampMs}, (a, b) -> b[1] >= a[1] ? b : a);
  }

  /** The snapshots; a family that cannot be exported is reported to {@code problems}. */
  MetricSnapshots toSnapshots(Consumer<String> problems) {
    List<MetricSnapshot> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    counters.forEach(
        (family, series) ->
            add(
                out,
                names,
                family,
                problems,
                () -> {
                  CounterSnapshot.Builder b =
                      CounterSnapshot.builder()
                          .name(family)
                          .help("Beam counter " + family + " (sum over steps and workers)");
                  series.forEach(
                      (l, v) ->
                          b.dataPoint(
                              CounterSnapshot.CounterDataPointSnapshot.builder()
                                  .labels(l)
                                  .value(v)
                                  .build()));
                  return b.build();
                }));
    distributions.forEach(
        (family, series) -> {
          add(
              out,
              names,
              family,
              problems,
              () -> {
                SummarySnapshot.Builder b =
                    SummarySnapshot.builder()
                        .name(family)
                        .help(
                            "Beam distribution " + family + ": exact count and sum, no quantiles");
                series.forEach(
                    (l, v) ->
                        b.dataPoint(
                            SummarySnapshot.SummaryDataPointSnapshot.builder()
                                .labels(l)
                                .count(v[0])
                                .sum(v[1])
                                .quantiles(Quantiles.EMPTY)
                                .build()));
                return b.build();
              });
          for (int i = 2; i <= 3; i++) {
            int at = i;
            String name = family + (i == 2 ? "_min" : "_max");
            add(
                out,
                names,
                name,
                problems,
                () -> {
                  GaugeSnapshot.Builder b =
                      GaugeSnapshot.builder()
                          .name(name)
                          .help(
                              "Beam distribution "
                                  + family
                                  + ": exact "
                                  + (at == 2 ? "minimum" : "maximum")
                                  + " since the job (task) started");
                  series.forEach(
                      (l, v) ->
                          b.dataPoint(
                              GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                  .labels(l)
                                  .value(v[at])
                                  .build()));
                  return b.build();
                });
          }
        });
    gauges.forEach(
        (family, series) ->
            add(
                out,
                names,
                family,
                problems,
                () -> {
                  GaugeSnapshot.Builder b =
                      GaugeSnapshot.builder()
                          .name(family)
                          .help("Beam gauge " + family + " (latest value)");
                  series.forEach(
                      (l, v) ->
                          b.dataPoint(
                              GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                  .labels(l)
                                  .value(v[0])
                                  .build()));
                  return b.build();
                }));
    return new MetricSnapshots(out);
  }

  private static void add(
      List<MetricSnapshot> out,
      Set<String> names,
      String family,
      Consumer<String> problems,
      Supplier<MetricSnapshot> build) {
    if (!names.add(family)) {
      problems.accept(family + ": a metric of another type has the same name");
      return;
    }
    try {
      out.add(build.get());
    } catch (IllegalArgumentException e) {
      problems.accept(family + ": " + e.getMessage());
    }
  }

  private static Labels labels(PrometheusNames.Series s) {
    Labels.Builder b = Labels.builder();
    s.labels().forEach(b::label);
    return b.build();
  }
}
