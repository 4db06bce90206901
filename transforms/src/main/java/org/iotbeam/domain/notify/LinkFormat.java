package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotbeam.proto.Alert;

/**
 * The link a message carries to where a person can look at the alert (a dashboard, a runbook), from
 * a template the user configures, e.g. {@code
 * https://grafana.example.com/d/iotbeam?var-device={deviceId}&from={raisedAtMs}}. Placeholders are
 * replaced with the alert's values, URL-encoded; {@link #PLACEHOLDERS} lists them. An empty
 * template means no link.
 */
public final class LinkFormat implements Serializable {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]*)\\}");
  private static final Map<String, Function<Alert, String>> VALUES = new TreeMap<>();

  static {
    VALUES.put("alertId", Alert::getId);
    VALUES.put("deviceId", Alert::getDeviceId);
    VALUES.put("ruleId", Alert::getRuleId);
    VALUES.put("metric", Alert::getMetric);
    VALUES.put("site", Alert::getSite);
    VALUES.put("deviceType", Alert::getDeviceType);
    VALUES.put("severity", a -> a.getSeverity().name().toLowerCase(Locale.ROOT));
    VALUES.put("state", a -> a.getState().name().toLowerCase(Locale.ROOT));
    VALUES.put("raisedAtMs", a -> Long.toString(a.getRaisedAtMs()));
    VALUES.put("eventTimeMs", a -> Long.toString(a.getEventTimeMs()));
    VALUES.put("raisedAt", a -> Instant.ofEpochMilli(a.getRaisedAtMs()).toString());
    VALUES.put("eventTime", a -> Instant.ofEpochMilli(a.getEventTimeMs()).toString());
  }

  /** Every placeholder a template may use. */
  public static final List<String> PLACEHOLDERS = List.copyOf(VALUES.keySet());

  private final String template;

  private LinkFormat(String template) {
    this.template = template;
  }

  public static LinkFormat none() {
    return new LinkFormat("");
  }

  /**
   * @throws IllegalArgumentException listing what is wrong with the template
   */
  public static LinkFormat of(String template) {
    List<String> problems = problems(template);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new LinkFormat(template == null ? "" : template);
  }

  /** What is wrong with a template (unknown placeholders, unbalanced braces, not a URL). */
  public static List<String> problems(String template) {
    List<String> p = new ArrayList<>();
    if (template == null || template.isEmpty()) {
      return p;
    }
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!VALUES.containsKey(m.group(1))) {
        p.add(
            "linkFormat: unknown placeholder {"
                + m.group(1)
                + "}; use "
                + String.join(", ", PLACEHOLDERS.stream().map(n -> "{" + n + "}").toList()));
      }
    }
    String rest = m.replaceAll("x");
    if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
      p.add("linkFormat: a '{' or '}' that is not part of a placeholder");
    } else if (!isHttpUrl(rest)) {
      p.add("linkFormat: must be an http(s) URL, was " + template);
    }
    return p;
  }

  public boolean isEmpty() {
    return template.isEmpty();
  }

  /** The link for this alert, or "" without a template. */
  public String render(Alert alert) {
    if (template.isEmpty()) {
      return "";
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v =
          URLEncoder.encode(VALUES.get(m.group(1)).apply(alert), StandardCharsets.UTF_8)
              .replace("+", "%20");
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static boolean isHttpUrl(String s) {
    try {
      URI u = new URI(s);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return template;
  }
}
