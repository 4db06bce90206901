package org.iotbeam.pipelines.azure.servicebus;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.Test;

/** Batching with a fake batch whose size is the sum of its messages' lengths. */
public class MessageBatcherTest {

  static final class FakeBatch implements MessageBatcher.Batch<String> {
    final int maxSize;
    final List<String> messages = new ArrayList<>();
    int size;

    FakeBatch(int maxSize) {
      this.maxSize = maxSize;
    }

    @Override
    public boolean tryAdd(String m) {
      if (size + m.length() > maxSize) {
        return false;
      }
      messages.add(m);
      size += m.length();
      return true;
    }
  }

  static final class FakeChannel implements MessageBatcher.Channel<String, FakeBatch> {
    final int maxSize;
    final List<List<String>> sent = new ArrayList<>();
    int failSendNumber = -1; // 0-based index of a send that throws
    int sends;

    FakeChannel(int maxSize) {
      this.maxSize = maxSize;
    }

    @Override
    public FakeBatch newBatch() {
      return new FakeBatch(maxSize);
    }

    @Override
    public void send(FakeBatch batch) throws Exception {
      if (sends++ == failSendNumber) {
        throw new Exception("link detached");
      }
      sent.add(batch.messages);
    }
  }

  private final MessageBatcher<String, String> batcher = new MessageBatcher<>(s -> s);

  @Test
  public void splitsIntoBatchesWithinTheMaxSizeAndKeepsOrder() {
    FakeChannel channel = new FakeChannel(10);
    List<String> items = List.of("aaaa", "bbbb", "cc", "dddd", "eeeeeeeeee", "f");

    MessageBatcher.Result<String> r = batcher.sendAll(items, channel);

    assertThat(r.failures(), empty());
    assertEquals(6, r.sent());
    assertEquals(4, r.batches());
    assertThat(
        channel.sent,
        contains(
            List.of("aaaa", "bbbb", "cc"), List.of("dddd"), List.of("eeeeeeeeee"), List.of("f")));
    for (List<String> b : channel.sent) {
      assertThat(b.stream().mapToInt(String::length).sum() <= 10, is(true));
    }
  }

  @Test
  public void theMessageThatDidNotFitStartsTheNextBatch() {
    FakeChannel channel = new FakeChannel(5);
    MessageBatcher.Result<String> r = batcher.sendAll(List.of("aaa", "bbb", "ccc"), channel);
    assertThat(channel.sent, contains(List.of("aaa"), List.of("bbb"), List.of("ccc")));
    assertEquals(3, r.sent());
  }

  @Test
  public void aMessageLargerThanAnEmptyBatchIsReportedAndTheOthersStillGo() {
    FakeChannel channel = new FakeChannel(5);
    MessageBatcher.Result<String> r =
        batcher.sendAll(List.of("aa", "too-large!", "bb", "also-too-large"), channel);

    // the batch holding "aa" is sent before it is known that "too-large!" fits no batch at all
    assertThat(channel.sent, contains(List.of("aa"), List.of("bb")));
    assertEquals(2, r.sent());
    assertThat(r.failures(), hasSize(2));
    assertEquals("too-large!", r.failures().get(0).item());
    assertThat(r.failures().get(0).reason(), containsString("larger than the maximum"));
    assertEquals("also-too-large", r.failures().get(1).item());
  }

  @Test
  public void aFailedSendReportsEveryMessageOfThatBatch() {
    FakeChannel channel = new FakeChannel(6);
    channel.failSendNumber = 1;
    List<String> items = List.of("aaa", "bbb", "ccc", "ddd", "eee");

    MessageBatcher.Result<String> r = batcher.sendAll(items, channel);

    assertThat(channel.sent, contains(List.of("aaa", "bbb"), List.of("eee")));
    assertEquals(3, r.sent());
    assertThat(
        r.failures().stream().map(MessageBatcher.Failure::item).toList(), contains("ccc", "ddd"));
    assertThat(r.failures().get(0).reason(), containsString("link detached"));
  }

  @Test
  public void aMappingFailureIsReportedNotThrown() {
    MessageBatcher<String, String> failing =
        new MessageBatcher<>(
            s -> {
              if (s.startsWith("x")) {
                throw new IllegalArgumentException("bad alert");
              }
              return s;
            });
    MessageBatcher.Result<String> r =
        failing.sendAll(List.of("a", "xb", "c"), new FakeChannel(100));
    assertEquals(2, r.sent());
    assertEquals("xb", r.failures().get(0).item());
  }

  @Test
  public void everyItemIsSentOrReportedNeverLost() {
    for (int max = 3; max < 40; max += 7) {
      for (int failAt = -1; failAt < 4; failAt++) {
        FakeChannel channel = new FakeChannel(max);
        channel.failSendNumber = failAt;
        List<String> items =
            IntStream.range(0, 50).mapToObj(i -> "m" + i + "-".repeat(i % 11)).toList();
        MessageBatcher.Result<String> r = batcher.sendAll(items, channel);
        List<String> seen = new ArrayList<>();
        channel.sent.forEach(seen::addAll);
        r.failures().forEach(f -> seen.add(f.item()));
        assertEquals(
            "max " + max + " failAt " + failAt,
            items.stream().sorted().collect(Collectors.toList()),
            seen.stream().sorted().collect(Collectors.toList()));
        assertEquals(channel.sent.stream().mapToInt(List::size).sum(), r.sent());
      }
    }
  }

  @Test
  public void nothingToSendSendsNothing() {
    FakeChannel channel = new FakeChannel(10);
    MessageBatcher.Result<String> r = batcher.sendAll(List.of(), channel);
    assertEquals(0, r.batches());
    assertThat(channel.sent, empty());
  }
}
