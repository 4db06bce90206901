package org.iotbeam.runners.faults;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.iotbeam.proto.Telemetry;

/**
 * One reading of a clock device to every partition of the input topic, at a given event time:
 * what newer data does in production. The watermark follows the data (EventTimePolicy), so after
 * a fixed input ends its last windows close only when newer readings arrive or once every
 * partition has been idle for {@code --idlePartitionSeconds}; a tick of "now" on every partition
 * closes them at once, with the shipped idle timeout. Partition p gets {@code eventTimeMs + p},
 * so no two ticks are the same message.
 *
 * <pre>java -cp runners-shaded.jar org.iotbeam.runners.faults.ClockTicks BOOTSTRAP TOPIC DEVICE EVENT_TIME_MS</pre>
 */
public final class ClockTicks {
  private ClockTicks() {}

  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: ClockTicks <bootstrap servers> <topic> <device id> "
          + "<event time, epoch ms>");
      System.exit(2);
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("acks", "all");
    long eventTimeMs = Long.parseLong(args[3]);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      int partitions = producer.partitionsFor(args[1]).size();
      for (int partition = 0; partition < partitions; partition++) {
        byte[] tick = Telemetry.newBuilder().setDeviceId(args[2])
            .setTimestampMs(eventTimeMs + partition).setTemperature(20).setSchemaVersion(1)
            .build().toByteArray();
        producer.send(new ProducerRecord<>(args[1], partition, args[2], tick));
      }
      producer.flush();
      System.out.println(partitions);
    }
  }
}
