package org.iotbeam.transforms;

import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.WindowAggregate;

/** The coders of the records that flow between transforms. */
public final class Coders {
  public static final ProtoCoder<InboundMessage> INBOUND = ProtoCoder.of(InboundMessage.class);
  public static final ProtoCoder<Reading> READING = ProtoCoder.of(Reading.class);
  public static final ProtoCoder<DeadLetter> DEAD_LETTER = ProtoCoder.of(DeadLetter.class);
  public static final ProtoCoder<WindowAggregate> AGGREGATE = ProtoCoder.of(WindowAggregate.class);
  public static final ProtoCoder<Alert> ALERT = ProtoCoder.of(Alert.class);
  public static final ProtoCoder<DeviceProfile> DEVICE_PROFILE = ProtoCoder.of(DeviceProfile.class);

  private Coders() {}
}
