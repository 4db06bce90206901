package org.iotbeam.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.iotbeam.domain.Metric;
import org.iotbeam.domain.stats.DeviceStats;
import org.iotbeam.domain.stats.RunningStats;

/** Type, site, presence bits, then each present metric's {@link RunningStatsCoder} fields. */
public class DeviceStatsCoder extends CustomCoder<DeviceStats> {
  private static final DeviceStatsCoder INSTANCE = new DeviceStatsCoder();
  private static final Metric[] METRICS = Metric.values();

  public static DeviceStatsCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeviceStats d, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeUTF(d.deviceType());
    out.writeUTF(d.site());
    int present = 0;
    for (Metric m : METRICS) {
      if (d.of(m) != null) {
        present |= 1 << m.ordinal();
      }
    }
    out.writeByte(present);
    out.flush();
    for (Metric m : METRICS) {
      if (d.of(m) != null) {
        RunningStatsCoder.of().encode(d.of(m), os);
      }
    }
  }

  @Override
  public DeviceStats decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    DeviceStats d = new DeviceStats().describe(in.readUTF(), in.readUTF());
    int present = in.readUnsignedByte();
    for (Metric m : METRICS) {
      if ((present & (1 << m.ordinal())) != 0) {
        RunningStats s = RunningStatsCoder.of().decode(is);
        d.set(m, s);
      }
    }
    return d;
  }

  @Override
  public void verifyDeterministic() {}
}
