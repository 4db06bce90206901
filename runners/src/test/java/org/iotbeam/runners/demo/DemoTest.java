package org.iotbeam.runners.demo;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The demo run programmatically for 10 s at 200 msg/s (real Kafka and MQTT brokers, the bridge, the
 * streaming pipeline on Flink embedded), its summary checked against what the simulator sent.
 */
public class DemoTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 600_000)
  public void summaryAgreesWithWhatTheSimulatorSent() throws Exception {
    Path out = tmp.newFolder("demo-output").toPath();
    DemoOptions options =
        DemoOptions.parse(
            "--duration",
            "10s",
            "--rate",
            "200",
            "--devices",
            "50",
            "--output",
            out.toString(),
            "--drainTimeout",
            "150s",
            "--seed",
            "7");
    DemoSummary s = new Demo(options, System.err).run();
    String text = s.format();
    System.out.println(text);

    DemoSummary.Sent sent = s.sent();
    assertThat(sent.messages(), greaterThan(1000L));
    assertThat("some malformed by construction", sent.malformed(), greaterThan(0L));
    assertEquals("nothing failed on MQTT", 0, sent.failed());
    assertEquals(sent.messages(), sent.delivered());

    // simulator delivered == bridge forwarded == pipeline messages_received
    assertEquals(sent.delivered(), s.bridge().forwarded());
    assertEquals(s.bridge().forwarded(), s.received());
    // nothing lost silently: valid + dead letters == received
    assertEquals(s.received(), s.valid() + s.deadLetters());
    // the simulator's malformed kinds match the validator's reasons one to one, so the dead
    // letters are exactly the malformed messages, reason by reason
    assertEquals(sent.malformed(), s.deadLetters());
    assertEquals(sent.valid(), s.valid());
    Map<String, Long> expectedReasons = new TreeMap<>();
    Map<String, Long> kinds = sent.malformedByKind();
    long unparseable = kinds.getOrDefault("random_bytes", 0L) + kinds.getOrDefault("truncated", 0L);
    putNonZero(expectedReasons, "malformed_protobuf", unparseable);
    putNonZero(expectedReasons, "value_out_of_range", kinds.getOrDefault("out_of_range", 0L));
    putNonZero(expectedReasons, "missing_device_id", kinds.getOrDefault("missing_device_id", 0L));
    putNonZero(expectedReasons, "timestamp_in_future", kinds.getOrDefault("future_timestamp", 0L));
    assertEquals(expectedReasons, s.deadLettersByReason());

    // aggregates from the metric and the files, and every other file agrees with the counters
    assertThat(s.aggregatesEmitted(), greaterThan(0L));
    assertEquals(s.aggregatesEmitted(), s.outputs().of("aggregates").records());
    assertThat(s.problems(), empty());
    assertTrue(
        "the scripted excursion raised and cleared its alert",
        s.semantics().excursionRaised() && s.semantics().excursionCleared());
    assertTrue(s.timing().drainMs() >= 0);
    assertThat(s.prometheusUrl(), startsWith("http://127.0.0.1:"));

    // the summary text carries those numbers
    assertThat(
        text,
        containsString(
            "messages sent        "
                + sent.messages()
                + "  (valid "
                + sent.valid()
                + ", malformed "
                + sent.malformed()
                + " by construction)"));
    assertThat(text, containsString("forwarded to Kafka   " + s.bridge().forwarded()));
    assertThat(text, containsString("messages received    " + s.received()));
    assertThat(text, containsString("valid                " + s.valid()));
    assertThat(text, containsString("dead-lettered        " + s.deadLetters()));
    assertThat(text, containsString("aggregates emitted   " + s.aggregatesEmitted()));
    assertThat(text, containsString("Outputs under " + out.toAbsolutePath().normalize()));
    assertThat(text, containsString("All checks passed."));
  }

  private static void putNonZero(Map<String, Long> m, String k, long v) {
    if (v != 0) {
      m.put(k, v);
    }
  }
}
