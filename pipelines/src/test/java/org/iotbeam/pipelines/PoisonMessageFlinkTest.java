package org.iotbeam.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.observability.FlinkBeamMetricsReporter;
import org.iotbeam.pipelines.observability.FlinkReporterConfig;
import org.iotbeam.pipelines.sinks.KafkaJsonSink;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.transforms.DeadLetters;
import org.iotbeam.transforms.TelemetryMetrics;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * No message can stop the pipeline. On Flink embedded, reading Kafka unbounded as in production,
 * against a real KRaft broker with Event Hubs' size limit (1 MB a record): payloads of 0 B, 786 KB
 * and 1 MB - 1 B interleaved with the valid traffic of {@link TelemetryScenario}, and a 60 KB
 * malformed one whose dead letter (its payload inlined, 80 KB of JSON) the dead-letter topic
 * refuses ({@code max.message.bytes} of 50,000 bytes, as a broker refuses a record too large). The
 * job keeps running; every valid message is processed (the aggregates are exact), every bad message
 * is a dead letter that fits the dead-letter topic (the large payloads referenced by source
 * position, size and SHA-256), the refused one goes to the dead-letter files as a sink failure, and
 * the counters add up.
 */
public class PoisonMessageFlinkTest {
  /** Event Hubs takes events up to 1 MB; room for one record's framing around a 1 MB payload. */
  private static final int RECORD_LIMIT = 1024 * 1024 + 1024;

  private static final int[] POISON_SIZES = {0, 786 * 1024, 1024 * 1024 - 1, 60 * 1024};

  /** More than the producer's batch.size (16 KB), less than an 80 KB dead letter. */
  private static final int DEAD_LETTER_TOPIC_LIMIT = 50_000;

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 420_000)
  public void poisonMessagesAndRefusedRecordsBecomeDeadLetters() throws Exception {
    try (LocalKafkaBroker kafka =
        LocalKafkaBroker.builder()
            .property("message.max.bytes", Integer.toString(RECORD_LIMIT))
            .property("replica.fetch.max.bytes", Integer.toString(RECORD_LIMIT))
            .start()) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("telemetry", 2);
      kafka.createTopic("aggregates", 1);
      kafka.createTopic("alerts", 1);
      try (Admin admin = kafka.admin()) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("dead-letters", 1, (short) 1)
                        .configs(
                            Map.of(
                                "max.message.bytes", Integer.toString(DEAD_LETTER_TOPIC_LIMIT)))))
            .all()
            .get();
      }
      kafka.createTopic("dead-letters", 1); // waits until it is usable

      TelemetryScenario sc = new TelemetryScenario(System.currentTimeMillis());
      Random random = new Random(14);
      List<KafkaTestIo.Out> traffic = new ArrayList<>(sc.phase1);
      List<byte[]> poison = new ArrayList<>();
      for (int i = 0; i < POISON_SIZES.length; i++) {
        byte[] p = new byte[POISON_SIZES[i]];
        random.nextBytes(p);
        poison.add(p);
        traffic.add(10 + i * 40, new KafkaTestIo.Out("sensor-a", p, null)); // interleaved
      }
      KafkaTestIo.produce(bs, "telemetry", traffic, Map.of("max.request.size", RECORD_LIMIT));

      Path out = tmp.newFolder("out").toPath();
      Path rules = tmp.newFile("rules.json").toPath();
      Files.writeString(
          rules,
          "{\"thresholds\": [{\"id\": \"hot\", \"metric\": \"temperature\","
              + " \"operator\": \">\", \"value\": 45.0, \"forReadings\": 3, \"severity\": "
              + "\"critical\", \"priority\": 1, \"cooldownMinutes\": 10}]}");
      StreamingPipeline.Options o = StreamingPipelineFlinkTest.options(bs, out, rules, null);
      // the live counters, as the demo reads them
      FlinkReporterConfig.enableEmbedded(o.as(FlinkPipelineOptions.class), "127.0.0.1", 0);

      // on the topic: every bad message but the one whose dead letter it refuses
      Map<String, Integer> onTopic = new TreeMap<>(sc.deadLetterReasons);
      onTopic.merge("EMPTY_PAYLOAD", 1, Integer::sum);
      onTopic.merge("PAYLOAD_TOO_LARGE", 2, Integer::sum);
      int expectedOnTopic = onTopic.values().stream().mapToInt(Integer::intValue).sum();
      // in the files: every bad message, and the refusal
      Map<String, Integer> inFiles = new TreeMap<>(onTopic);
      inFiles.merge("MALFORMED_PROTOBUF", 1, Integer::sum);
      inFiles.merge("SINK_RECORD_REJECTED", 1, Integer::sum);
      int expectedInFiles = expectedOnTopic + 2;

      PipelineResult result = StreamingPipeline.run(o);
      try {
        StreamingPipelineFlinkTest.await(
            "aggregates and dead letters",
            () ->
                StreamingPipelineFlinkTest.statsEqual(
                        sc.onTime, StreamingPipelineFlinkTest.latestAggregates(bs))
                    && KafkaTestIo.readAll(bs, "dead-letters", Map.of()).size() >= expectedOnTopic
                    && StreamingPipelineFlinkTest.fileLines(out.resolve("dead-letters")).size()
                        >= expectedInFiles
                    && counter(TelemetryMetrics.RECEIVED) >= traffic.size());
        assertEquals("still running", PipelineResult.State.RUNNING, result.getState());

        // every valid message processed: the aggregates are exact
        StreamingPipelineFlinkTest.assertStats(
            sc.onTime, StreamingPipelineFlinkTest.latestAggregates(bs));
        assertEquals("raised and cleared", 2, KafkaTestIo.readAll(bs, "alerts", Map.of()).size());

        // every bad message a dead letter, each within the limits
        List<ConsumerRecord<byte[], byte[]>> records =
            KafkaTestIo.readAll(bs, "dead-letters", Map.of());
        records.forEach(
            r ->
                assertTrue(
                    r.value().length + " bytes", r.value().length <= DeadLetters.MAX_JSON_BYTES));
        List<DeadLetter> dead = parse(KafkaTestIo.values(records));
        assertEquals(onTopic, StreamingPipelineFlinkTest.countBy(dead));

        // the large payloads by reference: where they are, their size and hash
        List<DeadLetter> referenced =
            dead.stream().filter(DeadLetter::hasPayloadRef).collect(Collectors.toList());
        assertEquals(2, referenced.size());
        List<ConsumerRecord<byte[], byte[]>> telemetry =
            KafkaTestIo.readAll(bs, "telemetry", Map.of("max.partition.fetch.bytes", RECORD_LIMIT));
        for (DeadLetter d : referenced) {
          ConsumerRecord<byte[], byte[]> original =
              telemetry.stream()
                  .filter(
                      r ->
                          r.partition() == d.getInbound().getSource().getPartition()
                              && r.offset() == d.getInbound().getSource().getOffset())
                  .findFirst()
                  .orElseThrow();
          assertEquals(original.value().length, d.getPayloadRef().getSizeBytes());
          assertEquals(
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(original.value())),
              d.getPayloadRef().getSha256());
          assertArrayEquals(
              Arrays.copyOf(original.value(), DeadLetters.PREFIX_BYTES),
              d.getPayloadRef().getPrefix().toByteArray());
          assertTrue(poison.stream().anyMatch(p -> Arrays.equals(p, original.value())));
        }

        // the files hold them all, and the dead letter the topic refused, as a sink failure
        List<DeadLetter> filed =
            parse(StreamingPipelineFlinkTest.fileLines(out.resolve("dead-letters")));
        assertEquals(inFiles, StreamingPipelineFlinkTest.countBy(filed));
        DeadLetter refused =
            filed.stream()
                .filter(d -> d.getReason().equals("SINK_RECORD_REJECTED"))
                .findFirst()
                .orElseThrow();
        DeadLetter malformed =
            filed.stream()
                .filter(
                    d ->
                        d.getReason().equals("MALFORMED_PROTOBUF")
                            && d.getInbound().getPayload().size() == 60 * 1024)
                .findFirst()
                .orElseThrow();
        assertEquals("kafka/dead-letters/" + malformed.getId(), refused.getId());
        assertEquals(
            ProtoJson.toJson(malformed).getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
            refused.getPayloadRef().getSizeBytes());
        assertThat(refused.getDetail(), containsString("RecordTooLargeException"));

        // the counters add up
        Map<String, Long> c = FlinkBeamMetricsReporter.counters();
        assertEquals(c.toString(), traffic.size(), (long) c.get(TelemetryMetrics.RECEIVED));
        assertEquals(
            c.toString(),
            (long) c.get(TelemetryMetrics.RECEIVED),
            c.get(TelemetryMetrics.VALID) + c.get(TelemetryMetrics.DEAD_LETTERS));
        assertEquals(
            c.toString(), expectedInFiles - 1, (long) c.get(TelemetryMetrics.DEAD_LETTERS));
        assertEquals(c.toString(), 1L, (long) c.get(TelemetryMetrics.SINK_DEAD_LETTERS));
        assertEquals(c.toString(), 1L, (long) c.get(KafkaJsonSink.FAILED));
        assertEquals(c.toString(), 2L, (long) c.get("dead_letters_payload_too_large"));
      } finally {
        result.cancel();
      }
    }
  }

  private static List<DeadLetter> parse(List<String> json) {
    return json.stream()
        .map(j -> ProtoJson.parse(j, DeadLetter.newBuilder()).build())
        .collect(Collectors.toList());
  }

  private static long counter(String name) {
    return FlinkBeamMetricsReporter.counters().getOrDefault(name, 0L);
  }
}
