package org.iotbeam.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.iotbeam.domain.Metric;
import org.iotbeam.domain.stats.DeviceSample;

/** Time, presence bits, the present values, type and site: about 40 bytes for five metrics. */
public class DeviceSampleCoder extends CustomCoder<DeviceSample> {
  private static final DeviceSampleCoder INSTANCE = new DeviceSampleCoder();
  private static final Metric[] METRICS = Metric.values();

  public static DeviceSampleCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeviceSample s, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeLong(s.timestampMs());
    out.writeByte(s.present());
    for (Metric m : METRICS) {
      if (s.has(m)) {
        out.writeDouble(s.value(m));
      }
    }
    out.writeUTF(s.deviceType());
    out.writeUTF(s.site());
    out.flush();
  }

  @Override
  public DeviceSample decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    long ts = in.readLong();
    int present = in.readUnsignedByte();
    double[] values = new double[METRICS.length];
    for (Metric m : METRICS) {
      if ((present & (1 << m.ordinal())) != 0) {
        values[m.ordinal()] = in.readDouble();
      }
    }
    return new DeviceSample(ts, present, values, in.readUTF(), in.readUTF());
  }

  @Override
  public void verifyDeterministic() {}
}
