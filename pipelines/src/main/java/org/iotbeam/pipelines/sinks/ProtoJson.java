package org.iotbeam.pipelines.sinks;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import org.iotbeam.proto.WindowAggregate;

/** One protobuf record as one line of JSON (field names in lowerCamelCase, bytes in base64). */
public final class ProtoJson {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().alwaysPrintFieldsWithNoPresence();

  private ProtoJson() {}

  public static String toJson(Message m) {
    if (m instanceof WindowAggregate a) {
      String json = WindowAggregateJson.toJson(a);
      if (json != null) {
        return json;
      }
    }
    try {
      return PRINTER.print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getFullName(), e);
    }
  }

  /** Parses a line written by {@link #toJson} into {@code builder}. */
  public static <B extends Message.Builder> B parse(String json, B builder) {
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "not a " + builder.getDescriptorForType().getFullName() + " in JSON: " + e.getMessage(),
          e);
    }
  }
}
