package org.iotbeam.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.iotbeam.domain.alerting.AlertStateSnapshots;
import org.iotbeam.domain.alerting.DeviceAlertState;
import org.iotbeam.proto.DeviceAlertSnapshot;

/**
 * The alert detector's per-device state as its protobuf snapshot ({@code iotbeam/state.proto}):
 * what a savepoint holds survives a rebuilt jar, which Java serialization of the class did not.
 */
public final class DeviceAlertStateCoder extends AtomicCoder<DeviceAlertState> {
  private static final DeviceAlertStateCoder INSTANCE = new DeviceAlertStateCoder();
  private static final ProtoCoder<DeviceAlertSnapshot> SNAPSHOT =
      ProtoCoder.of(DeviceAlertSnapshot.class);

  public static DeviceAlertStateCoder of() {
    return INSTANCE;
  }

  private DeviceAlertStateCoder() {}

  @Override
  public void encode(DeviceAlertState value, OutputStream out) throws IOException {
    SNAPSHOT.encode(AlertStateSnapshots.toSnapshot(value), out);
  }

  @Override
  public void encode(DeviceAlertState value, OutputStream out, Context context) throws IOException {
    SNAPSHOT.encode(AlertStateSnapshots.toSnapshot(value), out, context);
  }

  @Override
  public DeviceAlertState decode(InputStream in) throws IOException {
    return fromSnapshot(SNAPSHOT.decode(in));
  }

  @Override
  public DeviceAlertState decode(InputStream in, Context context) throws IOException {
    return fromSnapshot(SNAPSHOT.decode(in, context));
  }

  private static DeviceAlertState fromSnapshot(DeviceAlertSnapshot s) throws CoderException {
    try {
      return AlertStateSnapshots.fromSnapshot(s);
    } catch (IllegalArgumentException e) {
      throw new CoderException("saved alert state cannot be restored: " + e.getMessage(), e);
    }
  }
}
