package org.iotbeam.domain.notify;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.NoticeKind;

/**
 * Decides which alert events of one series (one rule on one device) are worth a notice.
 *
 * <ul>
 *   <li>At most one notice per alert id and state: an event whose key ({@code <alert id>|raised} or
 *       {@code |cleared}) was decided before is a replay and is dropped. Keys are remembered for
 *       {@link #REMEMBER_MILLIS} of event time, at most {@link #REMEMBER_KEYS} per series.
 *   <li>Flapping: the event that makes more than {@code maxTransitions} raises and clears within
 *       {@code withinMinutes} gives one FLAPPING notice; the events after it give none until the
 *       series has kept one state for {@code settleMinutes} ({@link #onSettleCheck}), which gives
 *       one SETTLED notice carrying the latest event.
 * </ul>
 *
 * Event time throughout (the alerts' own), so a replay decides exactly as the first run did.
 * Stateless: the series' memory is the {@link SeriesState} passed in.
 */
public final class SeriesNotifier implements Serializable {
  public static final long REMEMBER_MILLIS = 7L * 24 * 3_600_000;
  public static final int REMEMBER_KEYS = 64;

  private final FlapSettings flapping;

  /** What an alert event led to. */
  public enum Verdict {
    NOTIFY,
    DUPLICATE,
    FLAPPING_STARTED,
    HELD_WHILE_FLAPPING
  }

  /**
   * @param notices what to tell (empty unless NOTIFY or FLAPPING_STARTED)
   * @param settleCheckAtMs when (event time) to call {@link #onSettleCheck}, while flapping
   */
  public record Outcome(Verdict verdict, List<Notice> notices, Optional<Long> settleCheckAtMs) {}

  public SeriesNotifier(FlapSettings flapping) {
    this.flapping = flapping;
  }

  /** The key every notice of one series shares: device and rule. */
  public static String seriesKey(Alert a) {
    return a.getDeviceId() + "|" + a.getRuleId();
  }

  public static String noticeKey(Alert a) {
    return a.getId() + "|" + (a.getState() == AlertState.CLEARED ? "cleared" : "raised");
  }

  public Outcome onAlert(SeriesState s, Alert a) {
    long t = a.getEventTimeMs();
    String key = noticeKey(a);
    if (s.decided.containsKey(key)) {
      return new Outcome(Verdict.DUPLICATE, List.of(), Optional.empty());
    }
    s.decided.put(key, t);
    forgetOld(s, t);
    if (s.latest == null || t >= s.latest.getEventTimeMs()) {
      s.latest = a;
    }
    s.lastTransitionMs = Math.max(s.lastTransitionMs, t);
    if (!flapping.enabled()) {
      return new Outcome(Verdict.NOTIFY, List.of(notice(a)), Optional.empty());
    }
    s.transitions.addLast(t);
    while (!s.transitions.isEmpty()
        && s.transitions.peekFirst() <= s.lastTransitionMs - flapping.windowMillis()) {
      s.transitions.removeFirst();
    }
    Optional<Long> settleAt = Optional.of(s.lastTransitionMs + flapping.settleMillis());
    if (s.flapping) {
      return new Outcome(Verdict.HELD_WHILE_FLAPPING, List.of(), settleAt);
    }
    if (s.transitions.size() > flapping.maxTransitions()) {
      s.flapping = true;
      Notice n =
          Notice.newBuilder()
              .setKey(seriesKey(a) + "|flapping|" + t)
              .setKind(NoticeKind.FLAPPING)
              .setAlert(a)
              .setTransitions(s.transitions.size())
              .setWindowMinutes(flapping.withinMinutes())
              .build();
      return new Outcome(Verdict.FLAPPING_STARTED, List.of(n), settleAt);
    }
    return new Outcome(Verdict.NOTIFY, List.of(notice(a)), Optional.empty());
  }

  /**
   * Called when event time reaches a settle check: a flapping series that has kept its state for
   * {@code settleMinutes} since its last raise or clear has settled.
   */
  public Optional<Notice> onSettleCheck(SeriesState s, long nowMs) {
    if (!s.flapping || s.latest == null || nowMs < s.lastTransitionMs + flapping.settleMillis()) {
      return Optional.empty();
    }
    s.flapping = false;
    s.transitions.clear();
    return Optional.of(
        Notice.newBuilder()
            .setKey(seriesKey(s.latest) + "|settled|" + s.lastTransitionMs)
            .setKind(NoticeKind.SETTLED)
            .setAlert(s.latest)
            .setWindowMinutes(flapping.settleMinutes())
            .build());
  }

  private static Notice notice(Alert a) {
    return Notice.newBuilder()
        .setKey(noticeKey(a))
        .setKind(
            a.getState() == AlertState.CLEARED ? NoticeKind.ALERT_CLEARED : NoticeKind.ALERT_RAISED)
        .setAlert(a)
        .build();
  }

  private static void forgetOld(SeriesState s, long newestMs) {
    Iterator<Map.Entry<String, Long>> it = s.decided.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> e = it.next();
      if (s.decided.size() > REMEMBER_KEYS || e.getValue() < newestMs - REMEMBER_MILLIS) {
        it.remove();
      }
    }
  }
}
