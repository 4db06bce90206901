package org.iotbeam.pipelines.batch;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.SourcePosition;

/**
 * Reads Azure Event Hubs Capture files: Avro container files under {@code
 * {namespace}/{eventhub}/{partition}/{YYYY}/{MM}/{DD}/{HH}/{mm}/{ss}.avro} (Capture's default name
 * format), one {@code EventData} record per event ({@link #SCHEMA}, the schema Capture writes).
 * Each event becomes the {@link InboundMessage} the streaming pipeline would have made of it when
 * reading the event hub through its Kafka endpoint:
 *
 * <ul>
 *   <li>payload = {@code Body} (empty when null);
 *   <li>ingest time = {@code EnqueuedTimeUtc}, the broker's append time, as the Kafka record
 *       timestamp is;
 *   <li>source = {@code {system: "kafka", topic: <event hub>, partition: <from the path>, offset:
 *       SequenceNumber}}: the Kafka endpoint gives the sequence number as the Kafka offset, so a
 *       dead letter's id (its source position) is the same from either source;
 *   <li>key = {@code SystemProperties["x-opt-partition-key"]} (the Kafka key, the device id);
 *       traceparent = {@code Properties["traceparent"]} (a Kafka header arrives as a property).
 * </ul>
 *
 * Capture writes {@code EnqueuedTimeUtc} in .NET's invariant-culture form ({@code 11/20/2026
 * 10:07:31 AM}); ISO-8601 is accepted too.
 */
public final class CaptureFiles {
  /** The Avro schema of Event Hubs Capture's records (readers use each file's own). */
  public static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "EventData", "namespace": "Microsoft.ServiceBus.Messaging",
       "fields": [
         {"name": "SequenceNumber", "type": "long"},
         {"name": "Offset", "type": "string"},
         {"name": "EnqueuedTimeUtc", "type": "string"},
         {"name": "SystemProperties",
          "type": {"type": "map", "values": ["long", "double", "string", "bytes"]}},
         {"name": "Properties",
          "type": {"type": "map", "values": ["long", "double", "string", "bytes", "null"]}},
         {"name": "Body", "type": ["null", "bytes"]}
       ]}
      """);

  public static final String SUFFIX = ".avro";
  static final String PARTITION_KEY = "x-opt-partition-key";
  static final String TRACEPARENT = "traceparent";

  /** .../{eventhub}/{partition}/YYYY/MM/DD/HH/mm/ss.avro */
  private static final Pattern PATH =
      Pattern.compile(
          "([^/]+)/([^/]+)/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/(\\d{2})/(\\d{2})\\.avro$");

  private static final DateTimeFormatter DOTNET =
      new DateTimeFormatterBuilder()
          .appendPattern("M/d/yyyy h:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .appendPattern(" a")
          .toFormatter(Locale.US);

  private CaptureFiles() {}

  /** Where a Capture file sits: its event hub, partition and the start of its window. */
  public record Location(String eventHub, int partition, long windowStartMs) {}

  /**
   * @throws IllegalArgumentException when the path does not follow Capture's default layout
   */
  public static Location locate(String path) {
    Matcher m = PATH.matcher(path);
    if (!m.find()) {
      throw new IllegalArgumentException(
          path
              + " is not an Event Hubs Capture file "
              + "({namespace}/{eventhub}/{partition}/{YYYY}/{MM}/{DD}/{HH}/{mm}/{ss}.avro)");
    }
    int partition;
    try {
      partition = Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          path + ": partition '" + m.group(2) + "' is not a number", e);
    }
    long start =
        LocalDateTime.of(
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)),
                Integer.parseInt(m.group(6)),
                Integer.parseInt(m.group(7)),
                Integer.parseInt(m.group(8)))
            .toInstant(ZoneOffset.UTC)
            .toEpochMilli();
    return new Location(m.group(1), partition, start);
  }

  /** The events of one Capture file, read lazily; the stream is closed by the caller. */
  public static Iterator<InboundMessage> read(InputStream in, String path) throws IOException {
    Location where = locate(path);
    DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public InboundMessage next() {
        try {
          return toInbound(records.next(), where);
        } catch (RuntimeException e) {
          if (e.getCause() instanceof IOException io) {
            throw new UncheckedIOException("corrupt Capture file " + path, io);
          }
          throw e;
        }
      }
    };
  }

  static InboundMessage toInbound(GenericRecord r, Location where) {
    InboundMessage.Builder b =
        InboundMessage.newBuilder()
            .setPayload(bytes(r.get("Body")))
            .setIngestTimeMs(enqueuedTime(String.valueOf(r.get("EnqueuedTimeUtc"))))
            .setSource(
                SourcePosition.newBuilder()
                    .setSystem("kafka")
                    .setTopic(where.eventHub())
                    .setPartition(where.partition())
                    .setOffset((Long) r.get("SequenceNumber")));
    String key = text(r.get("SystemProperties"), PARTITION_KEY);
    if (key != null) {
      b.setKey(key);
    }
    String traceparent = text(r.get("Properties"), TRACEPARENT);
    if (traceparent != null) {
      b.setTraceparent(traceparent);
    }
    return b.build();
  }

  /** {@code EnqueuedTimeUtc} as epoch milliseconds. */
  static long enqueuedTime(String value) {
    String v = value.trim();
    try {
      return DOTNET.parse(v, LocalDateTime::from).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      // ISO-8601 below
    }
    try {
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      // a local ISO date-time below
    }
    try {
      return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "EnqueuedTimeUtc '" + value + "' is neither " + "'M/d/yyyy h:mm:ss AM' nor ISO-8601", e);
    }
  }

  private static ByteString bytes(Object body) {
    if (body instanceof ByteBuffer buf) {
      return ByteString.copyFrom(buf.duplicate());
    }
    return ByteString.EMPTY;
  }

  /** A string or bytes value of an Avro map, as text; null when absent. */
  private static String text(Object map, String name) {
    if (!(map instanceof Map<?, ?> m)) {
      return null;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (name.equals(String.valueOf(e.getKey()))) {
        Object v = e.getValue();
        if (v instanceof ByteBuffer buf) {
          ByteBuffer d = buf.duplicate();
          byte[] a = new byte[d.remaining()];
          d.get(a);
          return new String(a, StandardCharsets.UTF_8);
        }
        return v == null ? null : v.toString();
      }
    }
    return null;
  }
}
