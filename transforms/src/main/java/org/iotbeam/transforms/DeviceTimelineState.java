package org.iotbeam.transforms;

import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.domain.dedup.RecentReadings;
import org.iotbeam.domain.stats.DeviceWindows;
import org.iotbeam.proto.DeviceProfile;

/**
 * Everything {@link DeviceTimeline} keeps of one device in a stream, as one state cell: the runner
 * looks a device's state up once a reading (read and write back), not once per field.
 */
final class DeviceTimelineState {
  /** No timer pending. */
  static final long NONE = Long.MIN_VALUE;

  /** Content hashes of the device's recent readings, to drop copies. */
  final RecentReadings recent;

  /** The alert evaluator's state of the device. */
  final DeviceAlertState alerts;

  /** The profile of the device's newest reading: what a silence alert describes. */
  DeviceProfile profile;

  /** When the sweep timer is due, or {@link #NONE}. */
  long sweepAt;

  /** When the silence timer is due, or {@link #NONE}. */
  long silenceAt;

  /** The device's open windows of statistics. */
  final DeviceWindows windows;

  /** When the windows timer is due, or {@link #NONE}. */
  long windowsAt;

  DeviceTimelineState() {
    this(new RecentReadings(), new DeviceAlertState(), null, NONE, NONE, new DeviceWindows(), NONE);
  }

  DeviceTimelineState(
      RecentReadings recent,
      DeviceAlertState alerts,
      DeviceProfile profile,
      long sweepAt,
      long silenceAt,
      DeviceWindows windows,
      long windowsAt) {
    this.recent = recent;
    this.alerts = alerts;
    this.profile = profile;
    this.sweepAt = sweepAt;
    this.silenceAt = silenceAt;
    this.windows = windows;
    this.windowsAt = windowsAt;
  }
}
