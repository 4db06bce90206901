package org.iotbeam.transforms;

import java.io.Serializable;
import java.util.Comparator;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;

/**
 * The order in which streaming saw a device's readings, rebuilt from what every message keeps: its
 * ingest time (the broker's append time: Event Hubs' enqueued time), then its partition and offset,
 * then its event time. A device's messages share a partition (the Kafka key is the device id),
 * where offsets are the arrival order itself; the ingest time orders them across a repartitioning.
 */
public final class ArrivalOrder {
  public static final Comparator<Reading> READINGS = new ByArrival();

  private ArrivalOrder() {}

  private static final class ByArrival implements Comparator<Reading>, Serializable {
    @Override
    public int compare(Reading a, Reading b) {
      InboundMessage x = a.getInbound();
      InboundMessage y = b.getInbound();
      int c = Long.compare(x.getIngestTimeMs(), y.getIngestTimeMs());
      if (c == 0) {
        c = Integer.compare(x.getSource().getPartition(), y.getSource().getPartition());
      }
      if (c == 0) {
        c = Long.compare(x.getSource().getOffset(), y.getSource().getOffset());
      }
      if (c == 0) {
        c = Long.compare(a.getTelemetry().getTimestampMs(), b.getTelemetry().getTimestampMs());
      }
      return c;
    }
  }
}
