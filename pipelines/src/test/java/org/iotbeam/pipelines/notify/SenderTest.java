package org.iotbeam.pipelines.notify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.iotbeam.pipelines.notify.Sender.Result;
import org.iotbeam.pipelines.notify.Sender.Status;
import org.iotbeam.proto.OutgoingMessage;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Retries, the circuit breaker and the send ledger, around a channel that fails on demand. */
public class SenderTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final List<String> sent = new ArrayList<>();
  private final List<Long> slept = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000_000);
  private volatile DeliveryException failure;

  private final NotificationChannel channel =
      m -> {
        if (failure != null) {
          throw failure;
        }
        sent.add(m.getKey());
      };

  private Sender sender(String destination, SendLedger ledger) {
    return new Sender(
        m -> destination, channel, ledger, 3, 100, d -> slept.add(d.toMillis()), now::get);
  }

  private static OutgoingMessage m(String key) {
    return OutgoingMessage.newBuilder()
        .setKey(key)
        .setChannel("email")
        .setRecipient("a@x.io")
        .build();
  }

  @Test
  public void retriesWithDoublingBackoffOnlyWhatMayPass() throws Exception {
    Sender s = sender("retries", SendLedger.NONE);
    failure = new DeliveryException("busy", true);
    Result r = s.send(m("k1"));
    assertEquals(new Result(Status.FAILED, 3, "after 3 attempt(s): busy"), r);
    assertEquals(List.of(100L, 200L), slept);
    failure = new DeliveryException("no such mailbox", false);
    assertEquals(1, s.send(m("k2")).attempts());
    failure = null;
    assertEquals(new Result(Status.SENT, 1, ""), s.send(m("k3")));
    assertEquals(List.of("k3"), sent);
  }

  @Test
  public void aDestinationFailingFiveTimesInARowRestsForAMinute() throws Exception {
    Sender s = sender("breaker", SendLedger.NONE);
    failure = new DeliveryException("down", false);
    for (int i = 0; i < CircuitBreaker.OPEN_AFTER; i++) {
      assertEquals(1, s.send(m("k" + i)).attempts());
    }
    failure = null;
    Result refused = s.send(m("k5"));
    assertEquals(Status.FAILED, refused.status());
    assertEquals(0, refused.attempts());
    assertThat(refused.detail(), startsWith("not tried: 5 messages in a row failed at breaker"));
    // another destination is not affected
    assertEquals(Status.SENT, sender("elsewhere", SendLedger.NONE).send(m("e1")).status());
    now.addAndGet(CircuitBreaker.COOL_OFF.toMillis());
    assertEquals(Status.SENT, s.send(m("k6")).status());
    assertEquals(List.of("e1", "k6"), sent);
  }

  @Test
  public void theLedgerSendsEachKeyOnceAndReportsWhatIsInDoubt() throws Exception {
    Path dir = tmp.newFolder("ledger").toPath();
    Sender first = sender("ledger", new DirectoryLedger(dir));
    assertEquals(Status.SENT, first.send(m("a")).status());
    failure = new DeliveryException("down", false);
    assertEquals(Status.FAILED, first.send(m("b")).status());
    failure = null;

    // a second job (a restart) with the same ledger
    Sender second = sender("ledger", new DirectoryLedger(dir));
    assertEquals(new Result(Status.ALREADY_SENT, 0, ""), second.send(m("a")));
    assertEquals(Status.SENT, second.send(m("b")).status()); // it had failed: tried again
    assertThat(sent, contains("a", "b"));

    // claimed by a job that stopped before it knew the outcome
    new DirectoryLedger(dir).claim("c");
    Result inDoubt = second.send(m("c"));
    assertEquals(Status.FAILED, inDoubt.status());
    assertThat(inDoubt.detail(), startsWith("not sent again: an earlier attempt"));
    assertThat(sent, contains("a", "b"));
  }

  @Test
  public void backoffIsCapped() throws Exception {
    Sender s =
        new Sender(
            m -> "cap",
            channel,
            SendLedger.NONE,
            10,
            10_000,
            d -> slept.add(d.toMillis()),
            now::get);
    failure = new DeliveryException("busy", true);
    s.send(m("k"));
    assertEquals(
        List.of(10_000L, 20_000L, 30_000L, 30_000L, 30_000L, 30_000L, 30_000L, 30_000L, 30_000L),
        slept);
  }
}
