package org.iotbeam.transforms;

import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.domain.geo.Geohash;
import org.iotbeam.domain.registry.DeviceRegistry;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.GeoLocation;
import org.iotbeam.proto.Reading;

/**
 * Adds what the platform knows to each reading: the device's profile from the registry, a
 * geohash of its location and a content hash. A device missing from the registry gets the
 * defaults and is counted, never dropped.
 *
 * <p>The registry travels with the DoFn (it is read once, when the pipeline is built, and every
 * worker gets the same copy), not as a side input: on Flink, a side input made from a finished
 * bounded source is empty after a restore from a checkpoint ("Empty PCollection accessed as a
 * singleton view"), and the job failed on every restart (NotifyRestartFlinkTest found it).
 */
public class EnrichReadings extends PTransform<PCollection<Reading>, PCollection<Reading>> {
  static final int GEOHASH_PRECISION = 7; // ~150 m: a building, not a street address

  private final DeviceRegistry registry;

  public EnrichReadings(DeviceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public PCollection<Reading> expand(PCollection<Reading> readings) {
    return readings
        .apply("Enrich", ParDo.of(new EnrichFn(registry)))
        .setCoder(Coders.READING);
  }

  static class EnrichFn extends DoFn<Reading, Reading> {
    private final DeviceRegistry registry;
    private final Counter unknown = TelemetryMetrics.counter(TelemetryMetrics.UNKNOWN_DEVICES);

    EnrichFn(DeviceRegistry registry) {
      this.registry = registry;
    }

    @ProcessElement
    public void process(@Element Reading r, OutputReceiver<Reading> out) {
      String id = r.getTelemetry().getDeviceId();
      Optional<DeviceProfile> known = registry.lookup(id);
      if (known.isEmpty()) {
        unknown.inc();
      }
      Reading.Builder b = r.toBuilder()
          .setDevice(known.orElseGet(() -> registry.defaultsFor(id)))
          .setKnownDevice(known.isPresent())
          .setContentHash(ContentHash.of(r.getTelemetry()));
      if (r.getTelemetry().hasLocation()) {
        GeoLocation l = r.getTelemetry().getLocation();
        b.setGeohash(Geohash.encode(l.getLatitude(), l.getLongitude(), GEOHASH_PRECISION));
      }
      out.output(b.build());
    }
  }
}
