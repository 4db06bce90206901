package org.iotbeam.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.iotbeam.domain.dedup.RecentReadings;
import org.iotbeam.domain.stats.DeviceWindows;
import org.iotbeam.proto.DeviceProfile;

/**
 * A device's timeline state: the recent content hashes (two longs and an event time each, oldest
 * first), the alert state as its protobuf snapshot ({@link DeviceAlertStateCoder}: it survives a
 * rebuilt jar), the profile, the timers' due times and the open windows of statistics.
 *
 * <p>Versioned: the first format (no windows) began with the number of content hashes, never
 * negative; later formats begin with a negative version, so a savepoint of the first format still
 * restores (with no open windows).
 */
final class DeviceTimelineStateCoder extends CustomCoder<DeviceTimelineState> {
  private static final DeviceTimelineStateCoder INSTANCE = new DeviceTimelineStateCoder();

  static DeviceTimelineStateCoder of() {
    return INSTANCE;
  }

  /** The format written: with the open windows. */
  private static final int WITH_WINDOWS = -2;

  @Override
  public void encode(DeviceTimelineState s, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeInt(WITH_WINDOWS);
    out.writeLong(s.windowsAt);
    out.writeLong(s.windows.watermarkPast());
    out.writeInt(s.windows.windows().size());
    for (DeviceWindows.Window w : s.windows.windows()) {
      out.writeLong(w.startMs());
      out.writeBoolean(w.onTimeDone());
      out.flush();
      DeviceStatsCoder.of().encode(w.stats(), os);
    }
    // in bulk, big-endian as DataOutputStream writes longs: a checkpoint copies every device's
    // state through this coder, on the thread that processes readings
    long[] recent = s.recent.inArrivalOrder();
    out.writeInt(recent.length / 3);
    ByteBuffer bytes = ByteBuffer.allocate(recent.length * Long.BYTES);
    bytes.asLongBuffer().put(recent);
    out.write(bytes.array());
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
    int first = in.readInt();
    long windowsAt = DeviceTimelineState.NONE;
    DeviceWindows windows = new DeviceWindows();
    if (first == WITH_WINDOWS) {
      windowsAt = in.readLong();
      long watermarkPast = in.readLong();
      int n = in.readInt();
      List<DeviceWindows.Window> open = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        long start = in.readLong();
        boolean onTimeDone = in.readBoolean();
        open.add(new DeviceWindows.Window(start, DeviceStatsCoder.of().decode(is), onTimeDone));
      }
      windows = new DeviceWindows(open, watermarkPast);
      first = in.readInt();
    } else if (first < 0) {
      throw new IOException("unknown device timeline state format " + first);
    }
    int size = first;
    byte[] bytes = new byte[size * 3 * Long.BYTES];
    in.readFully(bytes);
    long[] entries = new long[size * 3];
    ByteBuffer.wrap(bytes).asLongBuffer().get(entries);
    RecentReadings recent = RecentReadings.of(entries);
    long sweepAt = in.readLong();
    long silenceAt = in.readLong();
    DeviceProfile profile = in.readBoolean() ? Coders.DEVICE_PROFILE.decode(is) : null;
    return new DeviceTimelineState(
        recent,
        DeviceAlertStateCoder.of().decode(is),
        profile,
        sweepAt,
        silenceAt,
        windows,
        windowsAt);
  }
}
