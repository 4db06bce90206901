package org.iotbeam.transforms;

import com.google.protobuf.ByteString;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.domain.validation.Violation;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.PayloadReference;
import org.iotbeam.proto.SourcePosition;

/**
 * Builds dead-letter records whose id is stable across replays of the same input, and which fit
 * every sink they go to. Kafka and Event Hubs take at most 1 MB a record, and a dead letter in JSON
 * carries its payload in base64 (4/3 of its size): one 800 KB message, inlined, would make a dead
 * letter no topic accepts, and a sink that fails on it fails the task again on every replay. So a
 * payload above {@link #MAX_INLINE_PAYLOAD_BYTES} is not inlined: the dead letter carries a {@link
 * PayloadReference} (size, SHA-256, the first {@link #PREFIX_BYTES} bytes) and its source position,
 * and the whole payload stays where the source position points (the topic, and the raw archive).
 * Free-text fields are cut at {@link #MAX_TEXT_CHARS}. A dead letter's protobuf JSON is thus at
 * most {@link #MAX_JSON_BYTES}.
 */
public final class DeadLetters {
  /** Payloads up to this size travel inside the dead letter (the default payload limit). */
  public static final int MAX_INLINE_PAYLOAD_BYTES = 64 * 1024;

  /** How much of a larger payload the reference keeps. */
  public static final int PREFIX_BYTES = 1024;

  /** Longest detail, key or traceparent kept (a Kafka key alone may be 1 MB). */
  public static final int MAX_TEXT_CHARS = 1024;

  /**
   * Upper bound of a dead letter in protobuf JSON: the inlined payload in base64 (87 KB) plus three
   * text fields escaped at worst to six characters a character (19 KB), with room for the rest. Far
   * below the 1 MB of a Kafka or Event Hubs record and the 256 KB of a Service Bus message.
   */
  public static final int MAX_JSON_BYTES = 128 * 1024;

  private DeadLetters() {}

  public static DeadLetter of(InboundMessage in, Violation v, Stage stage) {
    return bounded(
        DeadLetter.newBuilder()
            .setId(idOf(in))
            .setInbound(in)
            .setReason(v.reason().name())
            .setDetail(v.detail())
            .setStage(stage.code()));
  }

  /**
   * A record a sink gave up on: its bytes (protobuf, or the JSON it tried to send), where it was
   * going, and why, so it can be replayed to that destination once the cause is fixed.
   *
   * @param destination e.g. {@code cosmos/telemetry/aggregates}; also the id's prefix
   * @param recordId the record's own id: together with the destination, the dead letter's id
   */
  public static DeadLetter sinkFailure(
      String destination,
      String recordId,
      ByteString payload,
      String traceparent,
      Reason reason,
      String detail) {
    return bounded(
        DeadLetter.newBuilder()
            .setId(destination + "/" + recordId)
            .setInbound(
                InboundMessage.newBuilder()
                    .setPayload(payload)
                    .setIngestTimeMs(System.currentTimeMillis())
                    .setKey(recordId)
                    .setTraceparent(traceparent == null ? "" : traceparent)
                    .setSource(SourcePosition.newBuilder().setSystem("sink").setTopic(destination)))
            .setReason(reason.name())
            .setDetail(detail == null ? "" : detail)
            .setStage(Stage.SINK.code()));
  }

  private static DeadLetter bounded(DeadLetter.Builder d) {
    InboundMessage.Builder in = d.getInboundBuilder();
    d.setDetail(cut(d.getDetail()));
    ByteString payload = in.getPayload();
    if (payload.size() > MAX_INLINE_PAYLOAD_BYTES) {
      byte[] bytes = payload.toByteArray();
      d.setPayloadRef(
          PayloadReference.newBuilder()
              .setSizeBytes(bytes.length)
              .setSha256(ContentHash.sha256(bytes))
              .setPrefix(payload.substring(0, PREFIX_BYTES)));
      in.setPayload(ByteString.EMPTY);
      d.setDetail(
          d.getDetail()
              + " [payload of "
              + bytes.length
              + " bytes not inlined: see "
              + "payloadRef and the source position]");
    }
    in.setKey(cut(in.getKey()));
    in.setTraceparent(cut(in.getTraceparent()));
    return d.build();
  }

  private static String cut(String s) {
    if (s.length() <= MAX_TEXT_CHARS) {
      return s;
    }
    int end = MAX_TEXT_CHARS;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // never split a surrogate pair: the JSON would not be valid UTF-8
    }
    return s.substring(0, end) + "...(" + (s.length() - end) + " more chars)";
  }

  /** Where the message came from when that is known, else the hash of its bytes. */
  public static String idOf(InboundMessage in) {
    if (in.hasSource() && !in.getSource().getSystem().isEmpty()) {
      SourcePosition s = in.getSource();
      return s.getSystem() + ":" + s.getTopic() + ":" + s.getPartition() + ":" + s.getOffset();
    }
    return "sha256:" + ContentHash.hex(in.getPayload().toByteArray());
  }
}
