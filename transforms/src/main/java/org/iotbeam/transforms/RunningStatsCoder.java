package org.iotbeam.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.iotbeam.domain.stats.RunningStats;

/** Seven fixed-width fields: the accumulator crosses the shuffle once per key and bundle. */
public class RunningStatsCoder extends CustomCoder<RunningStats> {
  private static final RunningStatsCoder INSTANCE = new RunningStatsCoder();

  public static RunningStatsCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RunningStats s, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeLong(s.count());
    out.writeDouble(s.count() == 0 ? 0 : s.mean());
    out.writeDouble(s.m2());
    out.writeDouble(s.min());
    out.writeDouble(s.max());
    out.writeLong(s.firstTimestampMs());
    out.writeLong(s.lastTimestampMs());
    out.flush();
  }

  @Override
  public RunningStats decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    return RunningStats.of(
        in.readLong(),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readDouble(),
        in.readLong(),
        in.readLong());
  }

  @Override
  public void verifyDeterministic() {}
}
