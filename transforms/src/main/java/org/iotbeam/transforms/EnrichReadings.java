package org.iotbeam.transforms;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.domain.geo.Geohash;
import org.iotbeam.domain.registry.DeviceRegistry;
import org.iotbeam.proto.GeoLocation;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.Telemetry;

/**
 * Adds what the platform knows to each reading: the device's profile from the registry, a geohash
 * of its location and a content hash. A device missing from the registry gets the defaults and is
 * counted, never dropped.
 *
 * <p>The registry travels with the DoFn (every worker gets the same copy), not as a side input from
 * {@code Create}: on Flink a streaming job restored from a checkpoint does not run that finished
 * source again and the side input is empty ("Empty PCollection accessed as a singleton view"), so
 * every restart, upgrade or failover crash-looped (runners/scripts/failover-rehearsal.sh).
 */
public class EnrichReadings extends PTransform<PCollection<Reading>, PCollection<Reading>> {
  static final int GEOHASH_PRECISION = 7; // ~150 m: a building, not a street address

  private final DeviceRegistry registry;

  public EnrichReadings(DeviceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public PCollection<Reading> expand(PCollection<Reading> readings) {
    return readings.apply("Enrich", ParDo.of(new EnrichFn(registry))).setCoder(Coders.READING);
  }

  /** The reading with its device's profile, geohash and content hash. */
  public static Reading enrich(DeviceRegistry registry, Reading r) {
    Telemetry t = r.getTelemetry();
    DeviceRegistry.Resolved device = registry.resolve(t.getDeviceId());
    Reading.Builder b =
        r.toBuilder()
            .setDevice(device.profile())
            .setKnownDevice(device.known())
            .setContentHash(ContentHash.of(t));
    if (t.hasLocation()) {
      GeoLocation l = t.getLocation();
      b.setGeohash(Geohash.encode(l.getLatitude(), l.getLongitude(), GEOHASH_PRECISION));
    }
    return b.build();
  }

  /**
   * {@link #enrich} with the readings of unknown devices counted, as every rendition counts them.
   */
  static final class CountingEnricher implements Serializable {
    private final DeviceRegistry registry;
    private final Counter unknown = TelemetryMetrics.counter(TelemetryMetrics.UNKNOWN_DEVICES);

    CountingEnricher(DeviceRegistry registry) {
      this.registry = registry;
    }

    Reading enrich(Reading r) {
      Reading enriched = EnrichReadings.enrich(registry, r);
      if (!enriched.getKnownDevice()) {
        unknown.inc();
      }
      return enriched;
    }
  }

  static class EnrichFn extends DoFn<Reading, Reading> {
    private final CountingEnricher enricher;

    EnrichFn(DeviceRegistry registry) {
      this.enricher = new CountingEnricher(registry);
    }

    @ProcessElement
    public void process(@Element Reading r, ProcessContext c) {
      c.output(enricher.enrich(r));
    }
  }
}
