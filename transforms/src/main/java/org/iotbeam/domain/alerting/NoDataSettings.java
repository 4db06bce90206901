package org.iotbeam.domain.alerting;

import java.io.Serializable;

/**
 * "Raise when a device sends nothing for {@code silenceMinutes} of event time." Off by default: a
 * batch run's watermark jumps to the end of time when its input ends, which would mark every device
 * silent at the end of the range.
 */
public record NoDataSettings(
    Boolean enabled, Double silenceMinutes, String severity, Integer priority)
    implements Serializable {

  public NoDataSettings {
    enabled = enabled != null && enabled;
    silenceMinutes = silenceMinutes == null ? 15.0 : silenceMinutes;
    if (!(silenceMinutes > 0)) {
      throw new IllegalArgumentException("noData.silenceMinutes must be > 0");
    }
    severity = severity == null ? "warning" : severity;
    AlertRules.severityOf(severity, "noData");
    priority = AlertRules.checkPriority(priority == null ? 2 : priority, "noData");
  }

  public static NoDataSettings disabled() {
    return new NoDataSettings(false, null, null, null);
  }

  public long silenceMillis() {
    return Math.round(silenceMinutes * 60_000);
  }
}
