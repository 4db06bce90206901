package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.iotbeam.domain.InvalidConfigException;
import org.iotbeam.domain.JsonConfig;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.Delivery;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.Severity;

/**
 * Who is told about which alerts, and how: the routes file ({@code --notificationRoutesFile}), with
 * the link format, the per-recipient rate limit and the flapping settings. The JSON form (version
 * 1; {@code iotbeam/example-notification-routes.json} is a complete example and
 * docs/notifications.md describes every field):
 *
 * <pre>{@code
 * { "version": 1,
 *   "linkFormat": "https://grafana.example.com/d/iotbeam?var-device={deviceId}",
 *   "rateLimit": {"maxPerRecipient": 10, "perMinutes": 15},
 *   "flapping": {"maxTransitions": 4, "withinMinutes": 30, "settleMinutes": 30},
 *   "routes": [
 *     {"name": "page", "severities": ["critical"], "maxPriority": 2,
 *      "channel": "sms", "to": ["+14255550123"]},
 *     {"name": "plant-a", "sites": ["plant-a"], "states": ["raised"],
 *      "channel": "email", "to": ["plant-a@example.com"]}]}
 * }</pre>
 *
 * {@link #parse} checks everything and reports every problem at once.
 */
public final class NotificationRoutes implements Serializable {
  /** The one version of the format this build reads. */
  public static final int VERSION = 1;

  private final List<Route> routes;
  private final LinkFormat linkFormat;
  private final RateLimit rateLimit;
  private final FlapSettings flapping;

  private record Document(
      Integer version,
      String description,
      String linkFormat,
      RateLimitDoc rateLimit,
      FlappingDoc flapping,
      List<RouteDoc> routes) {}

  private record RateLimitDoc(Integer maxPerRecipient, Double perMinutes) {}

  private record FlappingDoc(
      Boolean enabled, Integer maxTransitions, Double withinMinutes, Double settleMinutes) {}

  private record RouteDoc(
      String name,
      String description,
      List<String> severities,
      Integer maxPriority,
      List<String> sites,
      List<String> deviceTypes,
      List<String> states,
      String channel,
      List<String> to) {}

  public NotificationRoutes(
      List<Route> routes, LinkFormat linkFormat, RateLimit rateLimit, FlapSettings flapping) {
    this.routes = List.copyOf(routes);
    this.linkFormat = linkFormat;
    this.rateLimit = rateLimit;
    this.flapping = flapping;
  }

  /**
   * Parses and checks a routes file.
   *
   * @param source names the file in the messages (a path)
   * @throws InvalidConfigException listing every problem (a JSON syntax error or an unknown field
   *     stops the reading, so it is reported alone)
   */
  public static NotificationRoutes parse(byte[] json, String source) {
    String what = "notification routes " + source;
    Document doc;
    try {
      doc = JsonConfig.read(json, Document.class, what);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(what + " cannot be read", List.of(e.getMessage()));
    }
    if (doc == null) {
      throw new InvalidConfigException(what + " is not valid", List.of("the file is empty"));
    }
    List<String> problems = new ArrayList<>();
    if (doc.version() == null) {
      problems.add("\"version\" is missing; this build reads \"version\": " + VERSION);
    } else if (doc.version() != VERSION) {
      problems.add(
          "version " + doc.version() + " is not supported; this build reads version " + VERSION);
    }
    List<Route> routes = routes(doc.routes(), problems);
    problems.addAll(LinkFormat.problems(doc.linkFormat()));
    RateLimit rate = rateLimit(doc.rateLimit(), problems);
    FlapSettings flap = flapping(doc.flapping(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(what + " is not valid", problems);
    }
    return new NotificationRoutes(routes, LinkFormat.of(doc.linkFormat()), rate, flap);
  }

  public List<Route> routes() {
    return routes;
  }

  public LinkFormat linkFormat() {
    return linkFormat;
  }

  public RateLimit rateLimit() {
    return rateLimit;
  }

  public FlapSettings flapping() {
    return flapping;
  }

  /** The channels the routes use. */
  public Set<ChannelKind> channels() {
    Set<ChannelKind> out = EnumSet.noneOf(ChannelKind.class);
    routes.forEach(r -> out.add(r.channel()));
    return out;
  }

  /**
   * Where a notice goes: one delivery per channel and recipient of every matching route; a
   * recipient that two routes name on the same channel gets it once (the first route's name).
   */
  public List<Delivery> deliveries(Notice notice) {
    Map<String, Delivery> out = new LinkedHashMap<>();
    for (Route r : routes) {
      if (!r.matches(notice)) {
        continue;
      }
      for (String to : r.to()) {
        out.putIfAbsent(
            r.channel().id() + "\n" + to,
            Delivery.newBuilder()
                .setRoute(r.name())
                .setChannel(r.channel().id())
                .setRecipient(to)
                .setNotice(notice)
                .build());
      }
    }
    return List.copyOf(out.values());
  }

  private static List<Route> routes(List<RouteDoc> docs, List<String> problems) {
    List<Route> out = new ArrayList<>();
    if (docs == null || docs.isEmpty()) {
      problems.add(
          "\"routes\" is empty: give at least one route (or no routes file at all to "
              + "turn notifications off)");
      return out;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < docs.size(); i++) {
      RouteDoc d = docs.get(i);
      if (d == null) {
        problems.add("routes[" + i + "] is null");
        continue;
      }
      String label =
          d.name() == null || d.name().isBlank() ? "routes[" + i + "]" : "route '" + d.name() + "'";
      int before = problems.size();
      if (d.name() == null || d.name().isBlank()) {
        problems.add(label + " has no \"name\"");
      } else if (!names.add(d.name())) {
        problems.add(label + ": the name is used twice");
      }
      Set<Severity> severities = severities(d.severities(), label, problems);
      int maxPriority = d.maxPriority() == null ? 5 : d.maxPriority();
      if (maxPriority < 1 || maxPriority > 5) {
        problems.add(label + ": maxPriority must be 1..5 (1 = page someone), was " + maxPriority);
      }
      Set<AlertState> states = states(d.states(), label, problems);
      Set<String> sites = anyOrList(d.sites(), "sites", label, problems);
      Set<String> types = anyOrList(d.deviceTypes(), "deviceTypes", label, problems);
      ChannelKind channel = null;
      if (d.channel() == null) {
        problems.add(label + " has no \"channel\" (" + channelNames() + ")");
      } else {
        channel = ChannelKind.fromId(d.channel()).orElse(null);
        if (channel == null) {
          problems.add(label + ": unknown channel '" + d.channel() + "'; use " + channelNames());
        }
      }
      List<String> to =
          new ArrayList<>(new LinkedHashSet<>(d.to() == null ? List.<String>of() : d.to()));
      if (to.isEmpty()) {
        problems.add(label + " has no recipients (\"to\")");
      }
      if (channel != null) {
        for (int k = 0; k < to.size(); k++) {
          final int index = k;
          final String where = label;
          channel
              .recipientProblem(to.get(k))
              .ifPresent(p -> problems.add(where + ", to[" + index + "]: " + p));
        }
      }
      if (problems.size() == before) {
        out.add(new Route(d.name(), severities, maxPriority, sites, types, states, channel, to));
      }
    }
    return out;
  }

  private static Set<Severity> severities(List<String> names, String label, List<String> problems) {
    if (names == null) {
      return EnumSet.of(Severity.CRITICAL, Severity.WARNING, Severity.INFO);
    }
    Set<Severity> out = EnumSet.noneOf(Severity.class);
    for (String n : names) {
      switch (n == null ? "" : n.toLowerCase(Locale.ROOT)) {
        case "critical" -> out.add(Severity.CRITICAL);
        case "warning" -> out.add(Severity.WARNING);
        case "info" -> out.add(Severity.INFO);
        default ->
            problems.add(label + ": unknown severity '" + n + "'; use critical, warning or info");
      }
    }
    if (names.isEmpty()) {
      problems.add(label + ": \"severities\" is empty (leave it out for all severities)");
    }
    return out;
  }

  private static Set<AlertState> states(List<String> names, String label, List<String> problems) {
    if (names == null) {
      return EnumSet.of(AlertState.RAISED, AlertState.CLEARED);
    }
    Set<AlertState> out = EnumSet.noneOf(AlertState.class);
    for (String n : names) {
      switch (n == null ? "" : n.toLowerCase(Locale.ROOT)) {
        case "raised" -> out.add(AlertState.RAISED);
        case "cleared" -> out.add(AlertState.CLEARED);
        default -> problems.add(label + ": unknown state '" + n + "'; use raised or cleared");
      }
    }
    if (names.isEmpty()) {
      problems.add(label + ": \"states\" is empty (leave it out for raised and cleared)");
    }
    return out;
  }

  /** Empty (any) when absent or when it holds "*". */
  private static Set<String> anyOrList(
      List<String> values, String field, String label, List<String> problems) {
    if (values == null || values.contains("*")) {
      return Set.of();
    }
    if (values.isEmpty()) {
      problems.add(label + ": \"" + field + "\" is empty (leave it out, or [\"*\"], for any)");
    }
    Set<String> out = new TreeSet<>();
    for (String v : values) {
      if (v == null || v.isBlank()) {
        problems.add(label + ": \"" + field + "\" holds an empty name");
      } else {
        out.add(v);
      }
    }
    return out;
  }

  private static RateLimit rateLimit(RateLimitDoc d, List<String> problems) {
    RateLimit def = RateLimit.defaults();
    if (d == null) {
      return def;
    }
    int max = d.maxPerRecipient() == null ? def.maxPerRecipient() : d.maxPerRecipient();
    double per = d.perMinutes() == null ? def.perMinutes() : d.perMinutes();
    if (max < 1) {
      problems.add("rateLimit.maxPerRecipient must be 1 or more, was " + max);
    }
    if (!(per > 0) || Double.isInfinite(per)) {
      problems.add("rateLimit.perMinutes must be a positive number of minutes, was " + per);
    }
    return new RateLimit(max, per);
  }

  private static FlapSettings flapping(FlappingDoc d, List<String> problems) {
    FlapSettings def = FlapSettings.defaults();
    if (d == null) {
      return def;
    }
    if (Boolean.FALSE.equals(d.enabled())) {
      return FlapSettings.disabled();
    }
    int max = d.maxTransitions() == null ? def.maxTransitions() : d.maxTransitions();
    double within = d.withinMinutes() == null ? def.withinMinutes() : d.withinMinutes();
    double settle = d.settleMinutes() == null ? within : d.settleMinutes();
    if (max < 1) {
      problems.add("flapping.maxTransitions must be 1 or more, was " + max);
    }
    if (!(within > 0) || Double.isInfinite(within)) {
      problems.add("flapping.withinMinutes must be a positive number of minutes, was " + within);
    }
    if (!(settle > 0) || Double.isInfinite(settle)) {
      problems.add("flapping.settleMinutes must be a positive number of minutes, was " + settle);
    }
    return new FlapSettings(true, max, within, settle);
  }

  private static String channelNames() {
    List<String> names = new ArrayList<>();
    for (ChannelKind k : ChannelKind.values()) {
      names.add(k.id());
    }
    return String.join(", ", names);
  }
}
