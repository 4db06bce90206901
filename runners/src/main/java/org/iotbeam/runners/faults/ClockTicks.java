package org.iotbeam.runners.faults;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbeam.proto.Telemetry;

/**
 * Readings of a clock device on every partition of the input topic: what newer data does in
 * production. The watermark follows the data (EventTimePolicy), so after a fixed input ends its
 * last windows close only when newer readings arrive, or once every partition has been idle for
 * {@code --idlePartitionSeconds}. First a reading at {@code AFTER_INPUT_MS} (past the input's last
 * reading: its window is the last to close, and its aggregate says all before it closed), then,
 * once the wall clock has reached {@code CLOSES_AT_MS}, one of "now" (which moves every partition's
 * watermark to now minus the allowed disorder). Partition p gets the event time plus p ms, so no
 * two ticks are the same message.
 *
 * <pre>
 * java -cp runners-shaded.jar org.iotbeam.runners.faults.ClockTicks BOOTSTRAP TOPIC DEVICE AFTER_INPUT_MS CLOSES_AT_MS
 * </pre>
 */
public final class ClockTicks {
  private ClockTicks() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 5) {
      System.err.println(
          "usage: ClockTicks <bootstrap servers> <topic> <device id> "
              + "<after the input, epoch ms> <send \"now\" from, epoch ms>");
      System.exit(2);
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("acks", "all");
    long afterInputMs = Long.parseLong(args[3]);
    long closesAtMs = Long.parseLong(args[4]);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      send(producer, args[1], args[2], afterInputMs);
      long now;
      while ((now = System.currentTimeMillis()) < closesAtMs) {
        Thread.sleep(Math.min(1000, closesAtMs - now));
      }
      send(producer, args[1], args[2], now);
      System.out.println(afterInputMs + " " + now);
    }
  }

  /** One tick per partition, in order after everything produced before it. */
  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String device, long eventTimeMs) {
    int partitions = producer.partitionsFor(topic).size();
    for (int partition = 0; partition < partitions; partition++) {
      byte[] tick =
          Telemetry.newBuilder()
              .setDeviceId(device)
              .setTimestampMs(eventTimeMs + partition)
              .setTemperature(20)
              .setSchemaVersion(1)
              .build()
              .toByteArray();
      producer.send(new ProducerRecord<>(topic, partition, device, tick));
    }
    producer.flush();
  }
}
