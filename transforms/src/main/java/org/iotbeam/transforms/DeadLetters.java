package org.iotbeam.transforms;

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

  /** Where the message came from when that is known, else the hash of its bytes. */
  static String idOf(InboundMessage in) {
    if (in.hasSource() && !in.getSource().getSystem().isEmpty()) {
      SourcePosition s = in.getSource();
      return s.getSystem() + ":" + s.getTopic() + ":" + s.getPartition() + ":" + s.getOffset();
    }
    return "sha256:" + ContentHash.hex(in.getPayload().toByteArray());
  }
}
