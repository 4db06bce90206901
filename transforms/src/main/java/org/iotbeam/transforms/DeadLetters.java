package org.iotbeam.transforms;

import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Violation;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.SourcePosition;

/** Builds dead-letter records whose id is stable across replays of the same input. */
public final class DeadLetters {
  private DeadLetters() {}

  public static DeadLetter of(InboundMessage in, Violation v, String stage) {
    return DeadLetter.newBuilder()
        .setId(idOf(in))
        .setInbound(in)
        .setReason(v.reason().name())
        .setDetail(v.detail())
        .setStage(stage)
        .build();
  }

  /**
   * A record a sink gave up on: its bytes (protobuf, or the JSON it tried to send), where it was
   * going, and why, so it can be replayed to that destination once the cause is fixed.
   *
   * @param destination e.g. {@code cosmos/telemetry/aggregates}; also the id's prefix
   * @param recordId the record's own id: together with the destination, the dead letter's id
   */
  public static DeadLetter sinkFailure(String destination, String recordId,
      com.google.protobuf.ByteString payload, String traceparent, Reason reason, String detail) {
    return DeadLetter.newBuilder()
        .setId(destination + "/" + recordId)
        .setInbound(InboundMessage.newBuilder()
            .setPayload(payload)
            .setIngestTimeMs(System.currentTimeMillis())
            .setKey(recordId)
            .setTraceparent(traceparent == null ? "" : traceparent)
            .setSource(SourcePosition.newBuilder().setSystem("sink").setTopic(destination)))
        .setReason(reason.name())
        .setDetail(detail)
        .setStage("sink")
        .build();
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
