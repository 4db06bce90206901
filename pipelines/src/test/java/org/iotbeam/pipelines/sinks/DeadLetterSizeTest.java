package org.iotbeam.pipelines.sinks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.domain.validation.Violation;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.SourcePosition;
import org.iotbeam.transforms.DeadLetters;
import org.junit.Test;

/**
 * A dead letter fits every sink whatever the message was: the JSON the Kafka and file sinks write
 * stays under {@link DeadLetters#MAX_JSON_BYTES}, a large payload is referenced (size, SHA-256,
 * prefix, source position) instead of inlined, and a small one travels whole.
 */
public class DeadLetterSizeTest {
  private static final Random RANDOM = new Random(14);

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static InboundMessage message(byte[] payload, String key) {
    return InboundMessage.newBuilder()
        .setPayload(ByteString.copyFrom(payload))
        .setKey(key)
        .setIngestTimeMs(1_700_000_000_000L)
        .setSource(
            SourcePosition.newBuilder()
                .setSystem("kafka")
                .setTopic("telemetry")
                .setPartition(1)
                .setOffset(42))
        .build();
  }

  @Test
  public void payloadsUpToTheLimitTravelWhole() {
    for (int size : new int[] {0, 1, DeadLetters.MAX_INLINE_PAYLOAD_BYTES}) {
      byte[] payload = random(size);
      DeadLetter d =
          DeadLetters.of(
              message(payload, "sensor-1"),
              new Violation(Reason.MALFORMED_PROTOBUF, "bad"),
              Stage.PARSE);
      assertFalse(d.hasPayloadRef());
      assertArrayEquals(payload, d.getInbound().getPayload().toByteArray());
      assertEquals("kafka:telemetry:1:42", d.getId());
    }
  }

  @Test
  public void largePayloadsAreReferencedWithHashSizePrefixAndSourcePosition() throws Exception {
    for (int size :
        new int[] {
          DeadLetters.MAX_INLINE_PAYLOAD_BYTES + 1, 786 * 1024, 1024 * 1024 - 1, 8 * 1024 * 1024
        }) {
      byte[] payload = random(size);
      DeadLetter d =
          DeadLetters.of(
              message(payload, "sensor-1"),
              new Violation(Reason.PAYLOAD_TOO_LARGE, "payload is " + size + " bytes"),
              Stage.PARSE);
      assertTrue(d.hasPayloadRef());
      assertEquals(size, d.getPayloadRef().getSizeBytes());
      assertEquals(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)),
          d.getPayloadRef().getSha256());
      assertArrayEquals(
          Arrays.copyOf(payload, DeadLetters.PREFIX_BYTES),
          d.getPayloadRef().getPrefix().toByteArray());
      assertTrue(d.getInbound().getPayload().isEmpty());
      assertEquals(42, d.getInbound().getSource().getOffset());
      assertThat(d.getDetail(), containsString("not inlined"));
      assertThat(json(d), lessThanOrEqualTo(DeadLetters.MAX_JSON_BYTES));
    }
  }

  @Test
  public void worstCaseStaysUnderTheBound() {
    // a payload just inline, a 1 MB key of control characters (escaped to 6 chars each in JSON),
    // a 1 MB detail and traceparent
    String controls = "\u0001".repeat(1024 * 1024);
    InboundMessage in =
        message(random(DeadLetters.MAX_INLINE_PAYLOAD_BYTES), controls).toBuilder()
            .setTraceparent(controls)
            .build();
    DeadLetter d =
        DeadLetters.of(in, new Violation(Reason.PROCESSING_ERROR, controls), Stage.PARSE);
    assertThat(json(d), lessThanOrEqualTo(DeadLetters.MAX_JSON_BYTES));
    assertThat(d.getDetail(), containsString("more chars"));

    DeadLetter s =
        DeadLetters.sinkFailure(
            "kafka/aggregates",
            "id-1",
            ByteString.copyFrom(random(5 * 1024 * 1024)),
            controls,
            Reason.SINK_WRITE_FAILED,
            controls);
    assertTrue(s.hasPayloadRef());
    assertThat(json(s), lessThanOrEqualTo(DeadLetters.MAX_JSON_BYTES));
  }

  @Test
  public void cuttingNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    String detail = "x" + emoji.repeat(DeadLetters.MAX_TEXT_CHARS);
    DeadLetter d =
        DeadLetters.of(
            message(new byte[0], "k"), new Violation(Reason.PROCESSING_ERROR, detail), Stage.PARSE);
    String kept = d.getDetail();
    for (int i = 0; i < kept.length(); i++) {
      if (Character.isHighSurrogate(kept.charAt(i))) {
        assertTrue(
            "pair at " + i, i + 1 < kept.length() && Character.isLowSurrogate(kept.charAt(i + 1)));
      }
    }
  }

  private static int json(DeadLetter d) {
    return ProtoJson.toJson(d).getBytes(StandardCharsets.UTF_8).length;
  }
}
