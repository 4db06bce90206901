package org.iotbeam.pipelines.observability;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.metrics.MetricName;
import org.iotbeam.transforms.TelemetryMetrics;

/**
 * How a Beam metric is named in Prometheus. One function, used by the exporter, the dashboard test
 * and the docs, so they cannot drift apart.
 *
 * <ul>
 *   <li>namespace {@value TelemetryMetrics#NAMESPACE}: family {@code iotbeam_<name>}; a counter is
 *       exposed as {@code iotbeam_<name>_total}
 *   <li>{@code dead_letters_<reason>}: family {@code iotbeam_dead_letters_by_reason}, label {@code
 *       reason} (the plain {@code dead_letters} counter stays the total)
 *   <li>{@code alerts_raised_<severity>} / {@code alerts_cleared_<severity>}: families {@code
 *       iotbeam_alerts_raised} / {@code iotbeam_alerts_cleared}, label {@code severity}
 *   <li>a distribution: a summary {@code <family>} ({@code _count}, {@code _sum}) and gauges {@code
 *       <family>_min}, {@code <family>_max}
 *   <li>any other namespace (Beam's and KafkaIO's own): {@code beam_<namespace>_<name>}, sanitized;
 *       Beam's per-split source metrics {@code source.splits.<id>.<name>} become {@code
 *       beam_source_split_<name>} with label {@code split}, e.g. {@code
 *       beam_source_split_backlog_elements{split="0"}}
 * </ul>
 */
public final class PrometheusNames {
  public static final String IOTBEAM_PREFIX = "iotbeam_";
  public static final String OTHER_PREFIX = "beam_";
  public static final String DEAD_LETTERS_BY_REASON = "iotbeam_dead_letters_by_reason";
  public static final String ALERTS_RAISED = "iotbeam_alerts_raised";
  public static final String ALERTS_CLEARED = "iotbeam_alerts_cleared";

  private static final Pattern SPLIT = Pattern.compile("^(.*?)\\.?splits\\.([^.]+)\\.(.+)$");

  private PrometheusNames() {}

  /** A metric family and the labels of one of its series. */
  public record Series(String family, Map<String, String> labels) {
    public Series {
      labels = Map.copyOf(new TreeMap<>(labels));
    }
  }

  public static Series of(MetricName name) {
    return of(name.getNamespace(), name.getName());
  }

  public static Series of(String namespace, String name) {
    if (!TelemetryMetrics.NAMESPACE.equals(namespace)) {
      String full = namespace + "." + name;
      Matcher split = SPLIT.matcher(full);
      if (split.matches()) { // Beam's per-split source metrics: source.splits.<id>.<name>
        return new Series(
            sanitize(OTHER_PREFIX + split.group(1) + "_split_" + split.group(3)),
            Map.of("split", split.group(2)));
      }
      return new Series(sanitize(OTHER_PREFIX + full), Map.of());
    }
    if (name.startsWith(TelemetryMetrics.DEAD_LETTER_REASON_PREFIX)) {
      return new Series(
          DEAD_LETTERS_BY_REASON,
          Map.of("reason", name.substring(TelemetryMetrics.DEAD_LETTER_REASON_PREFIX.length())));
    }
    if (name.startsWith(TelemetryMetrics.ALERTS_RAISED_PREFIX)) {
      return new Series(
          ALERTS_RAISED,
          Map.of("severity", name.substring(TelemetryMetrics.ALERTS_RAISED_PREFIX.length())));
    }
    if (name.startsWith(TelemetryMetrics.ALERTS_CLEARED_PREFIX)) {
      return new Series(
          ALERTS_CLEARED,
          Map.of("severity", name.substring(TelemetryMetrics.ALERTS_CLEARED_PREFIX.length())));
    }
    return new Series(sanitize(IOTBEAM_PREFIX + name), Map.of());
  }

  /** The sample name of a counter family in the text format. */
  public static String counterSample(String family) {
    return family + "_total";
  }

  /** The sample names a distribution family produces. */
  public static String[] distributionSamples(String family) {
    return new String[] {family + "_count", family + "_sum", family + "_min", family + "_max"};
  }

  /**
   * A valid Prometheus metric name: [a-zA-Z_:][a-zA-Z0-9_:]*, lower case, no repeated or trailing
   * underscores, and without the suffixes the client reserves for counters and histograms.
   */
  public static String sanitize(String raw) {
    String s =
        raw.toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_")
            .replaceAll("_+", "_")
            .replaceAll("^_|_$", "");
    if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
      s = "m_" + s;
    }
    for (String reserved : new String[] {"_total", "_created", "_bucket", "_info"}) {
      if (s.endsWith(reserved)) {
        s = s.substring(0, s.length() - reserved.length());
      }
    }
    return s;
  }
}
