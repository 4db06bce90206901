package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.NoticeKind;
import org.iotbeam.proto.Severity;

/**
 * "Alerts of these severities, at this priority or more urgent, from these sites and device types,
 * in these states, go over {@code channel} to {@code to}". An empty site or device-type set means
 * any. Flapping and settled notices go to every route that the alert's severity, priority, site and
 * type match, whatever its states: they stand in for raises and clears the route would have had.
 */
public record Route(
    String name,
    Set<Severity> severities,
    int maxPriority,
    Set<String> sites,
    Set<String> deviceTypes,
    Set<AlertState> states,
    ChannelKind channel,
    List<String> to)
    implements Serializable {

  public Route {
    severities = Set.copyOf(severities);
    sites = Set.copyOf(sites);
    deviceTypes = Set.copyOf(deviceTypes);
    states = Set.copyOf(states);
    to = List.copyOf(to);
  }

  public boolean matches(Notice notice) {
    Alert a = notice.getAlert();
    if (!severities.contains(a.getSeverity())
        || a.getPriority() > maxPriority
        || (!sites.isEmpty() && !sites.contains(a.getSite()))
        || (!deviceTypes.isEmpty() && !deviceTypes.contains(a.getDeviceType()))) {
      return false;
    }
    NoticeKind k = notice.getKind();
    return k == NoticeKind.ALERT_RAISED
        ? states.contains(AlertState.RAISED)
        : k == NoticeKind.ALERT_CLEARED ? states.contains(AlertState.CLEARED) : true;
  }
}
