package org.iotbeam.transforms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.iotbeam.domain.dedup.RecentReadings;
import org.iotbeam.domain.stats.DeviceWindows;
import org.iotbeam.proto.DeviceProfile;

/**
 * A device's timeline state: the open windows of statistics, the recent content hashes (a hash and
 * an event time each, oldest first), the timers' due times, the profile and the alert state as its
 * protobuf snapshot ({@link DeviceAlertStateCoder}: it survives a rebuilt jar).
 *
 * <p>Versioned: the first format (no windows) began with the number of content hashes, never
 * negative; later formats begin with a negative version, so a savepoint of an earlier format still
 * restores. The first two formats kept 128-bit hashes; they restore with the low 64 bits, which are
 * what {@link DeviceTimeline} remembers of a hash since.
 */
final class DeviceTimelineStateCoder extends CustomCoder<DeviceTimelineState> {
  private static final DeviceTimelineStateCoder INSTANCE = new DeviceTimelineStateCoder();

  static DeviceTimelineStateCoder of() {
    return INSTANCE;
  }

  /** The second format: with the open windows, 128-bit hashes. */
  private static final int WITH_WINDOWS = -2;

  /** The format written: with the open windows, 64-bit hashes. */
  private static final int WITH_64_BIT_HASHES = -3;

  @Override
  public void encode(DeviceTimelineState s, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    out.writeInt(WITH_64_BIT_HASHES);
    out.writeLong(s.windowsAt);
    out.writeLong(s.windows.watermarkPast());
    out.writeInt(s.windows.windows().size());
    for (DeviceWindows.Window w : s.windows.windows()) {
      out.writeLong(w.startMs());
      out.writeBoolean(w.onTimeDone());
      out.flush();
      DeviceStatsCoder.of().encode(w.stats(), os);
    }
    // in blocks, big-endian as DataOutputStream writes longs: a checkpoint copies every device's
    // state through this coder, on the thread that processes readings
    out.writeInt(s.recent.size());
    s.recent.writeTo(out);
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
    int version = first < 0 ? first : -1;
    long windowsAt = DeviceTimelineState.NONE;
    DeviceWindows windows = new DeviceWindows();
    if (version == WITH_WINDOWS || version == WITH_64_BIT_HASHES) {
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
    } else if (version != -1) {
      throw new IOException("unknown device timeline state format " + first);
    }
    int size = first;
    RecentReadings recent =
        version == WITH_64_BIT_HASHES
            ? RecentReadings.readFrom(in, size)
            : RecentReadings.of(lowHashAndTime(in, size));
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

  /** {@code n} (high hash, low hash, event time) triples to (low hash, event time) pairs. */
  private static long[] lowHashAndTime(DataInputStream triples, int n) throws IOException {
    long[] pairs = new long[n * 2];
    for (int k = 0; k < pairs.length; k += 2) {
      triples.readLong(); // the high 64 bits
      pairs[k] = triples.readLong();
      pairs[k + 1] = triples.readLong();
    }
    return pairs;
  }
}
