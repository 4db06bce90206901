package org.iotbeam.pipelines.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text-format scrape over HTTP: sample (name with labels) -> value. */
final class Scrape {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final String text;
  final Map<String, Double> samples = new TreeMap<>();

  private Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (m.find()) {
        samples.put(
            m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
      }
    }
  }

  static Scrape of(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + ": HTTP " + r.statusCode());
    }
    return new Scrape(r.body());
  }

  static Scrape parse(String text) {
    return new Scrape(text);
  }

  /** The value of a sample, 0 if absent. */
  double get(String sample) {
    return samples.getOrDefault(sample, 0.0);
  }

  /** The metric names (without labels) present. */
  java.util.Set<String> names() {
    java.util.Set<String> s = new java.util.TreeSet<>();
    samples.keySet().forEach(k -> s.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k));
    return s;
  }

  /** label value -> sample value for one metric name and label. */
  Map<String, Long> byLabel(String name, String label) {
    Map<String, Long> m = new TreeMap<>();
    Pattern p = Pattern.compile(Pattern.quote(name) + "\\{.*" + label + "=\"([^\"]*)\".*\\}");
    samples.forEach(
        (k, v) -> {
          Matcher x = p.matcher(k);
          if (x.matches()) {
            m.merge(x.group(1), Math.round(v), Long::sum);
          }
        });
    return m;
  }
}
