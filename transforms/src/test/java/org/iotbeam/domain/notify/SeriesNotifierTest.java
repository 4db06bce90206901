package org.iotbeam.domain.notify;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.iotbeam.domain.notify.SeriesNotifier.Outcome;
import org.iotbeam.domain.notify.SeriesNotifier.Verdict;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.NoticeKind;
import org.iotbeam.proto.Severity;
import org.iotbeam.testing.AlertFixtures;
import org.iotbeam.testing.Fixtures;
import org.junit.Test;

public class SeriesNotifierTest {
  private static final long T = Fixtures.T0;
  private static final long MIN = Fixtures.MINUTE;

  /** Raise at t, clear at t + 1 min, for each start time. */
  private static List<Alert> flaps(long... starts) {
    List<Alert> out = new ArrayList<>();
    for (long t : starts) {
      Alert r = AlertFixtures.raised("d1", "hot", Severity.WARNING, 3, t, 50);
      out.add(r);
      out.add(AlertFixtures.cleared(r, t + MIN, 40));
    }
    return out;
  }

  @Test
  public void oneNoticePerAlertIdAndStateWhateverIsReplayed() {
    SeriesNotifier n = new SeriesNotifier(FlapSettings.defaults());
    SeriesState s = new SeriesState();
    Alert r = AlertFixtures.raised("d1", "hot", Severity.CRITICAL, 1, T, 50);
    Alert c = AlertFixtures.cleared(r, T + 5 * MIN, 40);
    Outcome first = n.onAlert(s, r);
    assertEquals(Verdict.NOTIFY, first.verdict());
    assertEquals("d1|hot|" + T + "|raised", first.notices().get(0).getKey());
    assertEquals(NoticeKind.ALERT_RAISED, first.notices().get(0).getKind());
    assertEquals(Verdict.DUPLICATE, n.onAlert(s, r).verdict());
    Outcome clear = n.onAlert(s, c);
    assertEquals(NoticeKind.ALERT_CLEARED, clear.notices().get(0).getKind());
    // a replay of both, in any order, says nothing more
    assertEquals(Verdict.DUPLICATE, n.onAlert(s, c).verdict());
    assertEquals(Verdict.DUPLICATE, n.onAlert(s, r).verdict());
    // and replays do not count as flapping
    for (int i = 0; i < 10; i++) {
      n.onAlert(s, r);
      n.onAlert(s, c);
    }
    assertFalse(s.flapping());
  }

  @Test
  public void flappingIsToldOnceThenOnceMoreWhenItSettles() {
    FlapSettings f = new FlapSettings(true, 4, 30, 15);
    SeriesNotifier n = new SeriesNotifier(f);
    SeriesState s = new SeriesState();
    List<Alert> events = flaps(T, T + 3 * MIN, T + 6 * MIN, T + 9 * MIN); // 8 transitions
    List<Notice> told = new ArrayList<>();
    Optional<Long> settleAt = Optional.empty();
    for (Alert a : events) {
      Outcome o = n.onAlert(s, a);
      told.addAll(o.notices());
      if (o.settleCheckAtMs().isPresent()) {
        settleAt = o.settleCheckAtMs();
      }
    }
    // four transitions one by one, the fifth is the flapping notice, the rest held
    assertEquals(5, told.size());
    assertEquals(NoticeKind.FLAPPING, told.get(4).getKind());
    assertEquals(5, told.get(4).getTransitions());
    assertEquals("d1|hot|flapping|" + (T + 6 * MIN), told.get(4).getKey());
    assertTrue(s.flapping());
    long lastEvent = T + 10 * MIN;
    assertEquals(Optional.of(lastEvent + 15 * MIN), settleAt);
    // too early: still flapping
    assertEquals(Optional.empty(), n.onSettleCheck(s, lastEvent + 14 * MIN));
    Notice settled = n.onSettleCheck(s, lastEvent + 15 * MIN).orElseThrow();
    assertEquals(NoticeKind.SETTLED, settled.getKind());
    assertEquals(AlertState.CLEARED, settled.getAlert().getState());
    assertEquals(lastEvent, settled.getAlert().getEventTimeMs());
    assertFalse(s.flapping());
    // settled: the next raise is told again
    Alert again = AlertFixtures.raised("d1", "hot", Severity.WARNING, 3, T + 60 * MIN, 51);
    assertEquals(Verdict.NOTIFY, n.onAlert(s, again).verdict());
  }

  @Test
  public void transitionsSpreadBeyondTheWindowAreNotFlapping() {
    SeriesNotifier n = new SeriesNotifier(new FlapSettings(true, 4, 30, 30));
    SeriesState s = new SeriesState();
    int told = 0;
    for (Alert a : flaps(T, T + 20 * MIN, T + 40 * MIN, T + 60 * MIN, T + 80 * MIN)) {
      told += n.onAlert(s, a).notices().size();
    }
    assertEquals(10, told);
    assertFalse(s.flapping());
  }

  @Test
  public void withFlappingOffEveryTransitionIsTold() {
    SeriesNotifier n = new SeriesNotifier(FlapSettings.disabled());
    SeriesState s = new SeriesState();
    int told = 0;
    for (Alert a : flaps(T, T + 2 * MIN, T + 4 * MIN, T + 6 * MIN, T + 8 * MIN)) {
      told += n.onAlert(s, a).notices().size();
    }
    assertEquals(10, told);
  }

  @Test
  public void rememberedKeysAreBounded() {
    SeriesNotifier n = new SeriesNotifier(FlapSettings.disabled());
    SeriesState s = new SeriesState();
    for (int i = 0; i < 500; i++) {
      n.onAlert(s, AlertFixtures.raised("d1", "hot", Severity.WARNING, 3, T + i * MIN, 50));
    }
    assertEquals(SeriesNotifier.REMEMBER_KEYS, s.remembered());
    // the most recent ones are still recognised
    assertEquals(
        Verdict.DUPLICATE,
        n.onAlert(s, AlertFixtures.raised("d1", "hot", Severity.WARNING, 3, T + 499 * MIN, 50))
            .verdict());
  }
}
