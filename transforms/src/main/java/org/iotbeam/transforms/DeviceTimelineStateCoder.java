package org.iotbeam.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.iotbeam.domain.dedup.RecentReadings;
import org.iotbeam.proto.DeviceProfile;

/**
 * A device's timeline state: the recent content hashes (two longs and an event time each, oldest
 * first), the alert state as its protobuf snapshot ({@link DeviceAlertStateCoder}: it survives a
 * rebuilt jar), the profile, and the two timers' due times.
 */
final class DeviceTimelineStateCoder extends CustomCoder<DeviceTimelineState> {
  private static final DeviceTimelineStateCoder INSTANCE = new DeviceTimelineStateCoder();

  static DeviceTimelineStateCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeviceTimelineState s, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    RecentReadings recent = s.recent;
    out.writeInt(recent.size());
    for (int k = 0; k < recent.size(); k++) {
      out.writeLong(recent.hashHi(k));
      out.writeLong(recent.hashLo(k));
      out.writeLong(recent.timestampMs(k));
    }
    out.writeLong(s.sweepAt);
    out.writeLong(s.silenceAt);
    out.writeBoolean(s.profile != null);
    out.flush();
    if (s.profile != null) {
      Coders.DEVICE_PROFILE.encode(s.profile, os);
    }
    DeviceAlertStateCoder.of().encode(s.alerts, os);
  }

  @Override
  public DeviceTimelineState decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    int size = in.readInt();
    RecentReadings recent = new RecentReadings();
    for (int k = 0; k < size; k++) {
      recent.add(in.readLong(), in.readLong(), in.readLong());
    }
    long sweepAt = in.readLong();
    long silenceAt = in.readLong();
    DeviceProfile profile = in.readBoolean() ? Coders.DEVICE_PROFILE.decode(is) : null;
    return new DeviceTimelineState(
        recent, DeviceAlertStateCoder.of().decode(is), profile, sweepAt, silenceAt);
  }
}
