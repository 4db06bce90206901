package org.iotbeam.transforms;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.domain.validation.TelemetryValidator;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.domain.validation.Violation;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.SchemaVersions;
import org.iotbeam.proto.Telemetry;

/**
 * What {@link ParseTelemetry} does to one message, without Beam: bytes in, a reading or the reason
 * it is not one. Plain Java so that the benchmarks' single-threaded baseline runs the very code the
 * pipeline runs.
 */
public final class TelemetryParser {
  /**
   * A message's valid telemetry, or a violation and the stage ({@link Stage#PARSE} or {@link
   * Stage#VALIDATE}) that found it.
   */
  public record Parsed(
      InboundMessage message, Telemetry telemetry, Violation violation, Stage stage) {
    public boolean valid() {
      return telemetry != null;
    }

    /**
     * The reading of a valid message, built on each call: a step that only needs the device and the
     * event time (a backfill's packing) builds none.
     */
    public Reading reading() {
      return valid() ? TelemetryParser.reading(message, telemetry) : null;
    }
  }

  private final TelemetryValidator validator;

  public TelemetryParser(ValidationLimits limits) {
    this.validator = new TelemetryValidator(limits);
  }

  /**
   * The reading of a message that {@link #parse} found valid, parsed again: for a step that carried
   * the message instead of the reading (a backfill's packs), so both are the same reading.
   *
   * @throws IllegalStateException if the payload does not parse, which a valid message's does
   */
  public static Reading readingOfValid(InboundMessage in) {
    try {
      return reading(in, Telemetry.parseFrom(in.getPayload()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the payload of a message judged valid must parse", e);
    }
  }

  private static Reading reading(InboundMessage in, Telemetry t) {
    // the original bytes stay with the raw archive and the dead letters; a reading carries only
    // where and when it arrived through every keyed exchange after this
    return Reading.newBuilder()
        .setTelemetry(t)
        .setInbound(in.toBuilder().clearPayload())
        .setSchemaVersion(SchemaVersions.detect(t))
        .build();
  }

  /** Parses and validates; never throws for bad input (a bug becomes PROCESSING_ERROR). */
  public Parsed parse(InboundMessage in) {
    try {
      byte[] payload = in.getPayload().toByteArray();
      Optional<Violation> bad = validator.checkPayload(payload);
      if (bad.isPresent()) {
        return new Parsed(in, null, bad.get(), Stage.PARSE);
      }
      Telemetry t;
      try {
        t = Telemetry.parseFrom(payload);
      } catch (InvalidProtocolBufferException e) {
        return new Parsed(
            in,
            null,
            new Violation(Reason.MALFORMED_PROTOBUF, String.valueOf(e.getMessage())),
            Stage.PARSE);
      }
      bad = validator.check(t, in.getIngestTimeMs());
      if (bad.isPresent()) {
        return new Parsed(in, null, bad.get(), Stage.VALIDATE);
      }
      return new Parsed(in, t, null, null);
    } catch (RuntimeException e) {
      // a bug must not stop the stream, nor lose the message that found it
      return new Parsed(
          in, null, new Violation(Reason.PROCESSING_ERROR, e.toString()), Stage.PARSE);
    }
  }
}
