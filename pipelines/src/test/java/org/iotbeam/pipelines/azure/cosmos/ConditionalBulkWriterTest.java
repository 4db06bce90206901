package org.iotbeam.pipelines.azure.cosmos;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.WindowAggregate;
import org.junit.Test;

/** The read-compare-write loop and its retries, against a fake store and a fake clock. */
public class ConditionalBulkWriterTest {
  private final FakeBulkStore store = new FakeBulkStore();
  private final List<Duration> slept = new ArrayList<>();
  private final Sleeper fakeClock = slept::add;
  private final RetryPolicy policy =
      new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(1000));

  private ConditionalBulkWriter writer(boolean guard) {
    return new ConditionalBulkWriter(store, policy, fakeClock, guard);
  }

  static WindowAggregate pane(long windowStart, int index, long count) {
    return WindowAggregate.newBuilder()
        .setId("dev-1|temperature|" + windowStart)
        .setDeviceId("dev-1")
        .setMetric("temperature")
        .setWindowStartMs(windowStart)
        .setWindowEndMs(windowStart + 300_000)
        .setCount(count)
        .setMin(1)
        .setMax(2)
        .setMean(1.5)
        .setPaneIndex(index)
        .setPaneTiming(index == 0 ? PaneTiming.ON_TIME : PaneTiming.LATE)
        .build();
  }

  /** The window item of an aggregate (not the "latest" one). */
  static VersionedDocument window(WindowAggregate a) {
    return CosmosDocuments.aggregateDocuments(a).get(0);
  }

  @Test
  public void throttledItemsAreRetriedAfterTheServersRetryAfter() throws Exception {
    store.scripted.add(FakeBulkStore.throttled(700)); // the read of round 1
    store.scripted.add(FakeBulkStore.throttled(250)); // the read of round 2

    ConditionalBulkWriter.Summary s = writer(true).write(List.of(window(pane(0, 0, 2))));

    assertEquals(1, s.written());
    assertThat(s.failures(), empty());
    assertEquals(3, s.rounds());
    // waits never shorter than retry-after; backoff (10, 20 ms) is shorter here
    assertThat(slept, contains(Duration.ofMillis(700), Duration.ofMillis(250)));
    assertEquals(2, s.retriedItems());
  }

  @Test
  public void withoutRetryAfterTheBackoffIsExponential() throws Exception {
    store.scripted.add(FakeBulkStore.status(503));
    store.scripted.add(FakeBulkStore.status(503));
    store.scripted.add(FakeBulkStore.status(503));

    ConditionalBulkWriter.Summary s = writer(true).write(List.of(window(pane(0, 0, 2))));

    assertEquals(1, s.written());
    assertThat(
        slept, contains(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)));
  }

  @Test
  public void throttledForeverIsAFailureAfterMaxAttemptsNotALoss() throws Exception {
    for (int i = 0; i < 10; i++) {
      store.scripted.add(FakeBulkStore.throttled(5));
    }
    ConditionalBulkWriter.Summary s = writer(true).write(List.of(window(pane(0, 0, 2))));

    assertEquals(0, s.written());
    assertThat(s.failures(), hasSize(1));
    assertEquals(429, s.failures().get(0).statusCode());
    assertThat(s.failures().get(0).reason(), containsString("gave up after 4 attempts"));
    assertThat(slept, hasSize(3)); // 4 attempts, 3 waits
  }

  @Test
  public void throttledWritesAreRetriedToo() throws Exception {
    store.beforeWrite =
        () -> {
          if (store.calls.size() == 2) { // the first write call
            store.scripted.add(FakeBulkStore.throttled(30));
          }
        };
    ConditionalBulkWriter.Summary s = writer(true).write(List.of(window(pane(0, 0, 2))));

    assertEquals(1, s.written());
    assertThat(slept, contains(Duration.ofMillis(30)));
    assertThat(store.calls, contains("read 1", "write 1", "read 1", "write 1"));
  }

  @Test
  public void anOlderPaneNeverReplacesANewerOne() throws Exception {
    writer(true).write(List.of(window(pane(0, 2, 5))));
    ConditionalBulkWriter.Summary s = writer(true).write(List.of(window(pane(0, 1, 4))));

    assertEquals(0, s.written());
    assertEquals(1, s.stale());
    VersionedDocument stored = window(pane(0, 2, 5));
    assertEquals(5, store.items.get(stored.key()).get("count").asLong());
  }

  @Test
  public void aNewerOrEqualPaneReplaces() throws Exception {
    writer(true).write(List.of(window(pane(0, 0, 2))));
    writer(true).write(List.of(window(pane(0, 1, 3))));
    assertEquals(3, store.items.get(window(pane(0, 0, 0)).key()).get("count").asLong());
    ConditionalBulkWriter.Summary replay = writer(true).write(List.of(window(pane(0, 1, 3))));
    assertEquals(1, replay.written()); // a replay rewrites the same content
  }

  @Test
  public void withinABatchOnlyTheNewestVersionIsWritten() throws Exception {
    ConditionalBulkWriter.Summary s =
        writer(true)
            .write(List.of(window(pane(0, 1, 3)), window(pane(0, 2, 4)), window(pane(0, 0, 2))));
    assertEquals(1, s.written());
    assertEquals(2, s.superseded());
    assertEquals(4, store.items.get(window(pane(0, 0, 0)).key()).get("count").asLong());
  }

  @Test
  public void aConcurrentWriteBetweenReadAndWriteIsReadAgainAndCompared() throws Exception {
    // another writer stores pane 3 after our read: our if-match replace gets 412, the re-read
    // sees pane 3, our pane 1 is stale
    writer(true).write(List.of(window(pane(0, 0, 1))));
    store.beforeWrite =
        () -> {
          if (store.calls.size() == 2) {
            store.put(window(pane(0, 3, 9)));
          }
        };
    store.calls.clear();
    ConditionalBulkWriter.Summary s = writer(true).write(List.of(window(pane(0, 1, 2))));

    assertEquals(0, s.written());
    assertEquals(1, s.stale());
    assertThat(slept, empty()); // a conflict needs a fresh read, not a wait
    assertEquals(9, store.items.get(window(pane(0, 0, 0)).key()).get("count").asLong());
  }

  @Test
  public void permanentErrorsAreNotRetried() throws Exception {
    store.scripted.add(FakeBulkStore.status(404)); // read: absent
    store.scripted.add(FakeBulkStore.status(400)); // create: bad request
    ConditionalBulkWriter.Summary s = writer(true).write(List.of(window(pane(0, 0, 2))));
    assertThat(s.failures(), hasSize(1));
    assertEquals(400, s.failures().get(0).statusCode());
    assertThat(slept, empty());
  }

  @Test
  public void withoutTheGuardItIsAPlainUpsertThatOverwrites() throws Exception {
    writer(false).write(List.of(window(pane(0, 2, 5))));
    store.calls.clear();
    ConditionalBulkWriter.Summary s = writer(false).write(List.of(window(pane(0, 0, 6))));
    assertEquals(1, s.written());
    assertThat(store.calls, contains("write 1"));
    assertEquals(6, store.items.get(window(pane(0, 0, 0)).key()).get("count").asLong());
  }

  @Test
  public void mixedBatchAccountsForEveryDocument() throws Exception {
    List<VersionedDocument> docs = new ArrayList<>();
    for (int w = 0; w < 20; w++) {
      docs.addAll(CosmosDocuments.aggregateDocuments(pane(w * 300_000L, 0, w + 1)));
    }
    store.scripted.add(FakeBulkStore.throttled(1)); // read of window 0: retried
    store.scripted.add(FakeBulkStore.status(400)); // read of the "latest" item: fails
    ConditionalBulkWriter.Summary s = writer(true).write(docs);
    // 20 window items + 1 latest item (19 latest superseded within the batch)
    assertEquals(19, s.superseded());
    assertEquals(21, s.written() + s.failures().size());
    assertEquals(20, s.written());
    assertThat(s.failures(), hasSize(1));
    assertEquals(docs.get(1).key(), s.failures().get(0).document().key());
    assertEquals(400, s.failures().get(0).statusCode());
    assertThat(slept, contains(Duration.ofMillis(10)));
  }
}
