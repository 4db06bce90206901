package org.iotbeam.simulator;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.iotbeam.proto.GeoLocation;
import org.iotbeam.proto.Telemetry;

/**
 * The deterministic message source: devices with sensor models, taken round-robin.
 *
 * <p>Message {@code n} comes from device {@code n % devices}; its {@code k}-th reading ({@code k =
 * n / devices}) has event time {@code start + phase(device) + k * interval + jitter}. All
 * randomness comes from one {@link SplittableRandom} seeded with the config's seed and drawn in
 * sequence order, so the same config gives the same bytes, whatever the transport or its speed.
 *
 * <p>Sensor models (per device, around its site):
 *
 * <ul>
 *   <li>temperature: site mean + device offset + a daily sine (peak at 15:00 local solar time,
 *       amplitude 4-8 C) + Gaussian noise;
 *   <li>humidity: anti-correlated with the daily temperature cycle, 0-100 %;
 *   <li>pressure: 1013 hPa lowered by altitude, a slow multi-day weather wave, noise;
 *   <li>battery: drains a little per reading; replaced (back to 100 %) below 5 %;
 *   <li>signal strength: a per-device mean (-95..-55 dBm) plus noise;
 *   <li>GPS: fixed installation point within ~2 km of the site plus a few metres of jitter.
 * </ul>
 *
 * v1 devices write the frozen v1 schema's fields only, v2 adds pressure, location and metadata, v3
 * adds battery, signal and error codes. Every writer sets {@code schema_version}.
 */
public final class MessageGenerator {
  private static final long YEAR_MS = 365L * 24 * 3600 * 1000;

  private final SimulatorConfig config;
  private final SplittableRandom random;
  private final Device[] devices;
  private final long startMs;
  private final long intervalMs;
  private long next;

  public MessageGenerator(SimulatorConfig config, long startTimeMs) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    this.startMs = startTimeMs;
    this.intervalMs = config.effectiveIntervalMs();
    this.devices = new Device[config.devices()];
    double[] mix = config.versionMix();
    List<Site> sites = config.sites();
    for (int i = 0; i < devices.length; i++) {
      devices[i] =
          new Device(
              i,
              config.deviceId(i),
              pickVersion(mix),
              sites.get(random.nextInt(sites.size())),
              random,
              i * intervalMs / devices.length);
    }
  }

  private int pickVersion(double[] mix) {
    double u = random.nextDouble();
    if (u < mix[0]) {
      return 1;
    }
    if (u < mix[0] + mix[1]) {
      return 2;
    }
    return mix[2] > 0 ? 3 : (mix[1] > 0 ? 2 : 1);
  }

  /** How many messages were generated so far. */
  public long generated() {
    return next;
  }

  public int schemaVersionOf(int device) {
    return devices[device].version;
  }

  public SimulatedMessage next() {
    long n = next++;
    Device d = devices[(int) (n % devices.length)];
    long k = d.readings++;
    long eventTime =
        startMs
            + d.phaseMs
            + k * intervalMs
            + random.nextInt((int) Math.max(1, Math.min(intervalMs / 10, 2000)));
    int ingestDelay = 20 + random.nextInt(480);
    String traceparent = Traceparent.next(random);
    boolean malformed =
        config.malformedRatio() > 0 && random.nextDouble() < config.malformedRatio();
    if (malformed) {
      MalformedKind kind = MalformedKind.values()[random.nextInt(MalformedKind.values().length)];
      byte[] payload = malformedPayload(kind, d, eventTime);
      return new SimulatedMessage(
          n, d.id, eventTime, ingestDelay, payload, traceparent, d.version, kind, null);
    }
    AnomalyKind anomaly = d.sample(eventTime, random, config.anomalyRate());
    if (d == devices[0] && inExcursion(eventTime)) {
      d.temperature = SimulatorConfig.EXCURSION_CELSIUS;
    }
    Telemetry t = d.toTelemetry(eventTime, d.id);
    return new SimulatedMessage(
        n,
        d.id,
        eventTime,
        ingestDelay,
        serialize(t, d.version),
        traceparent,
        d.version,
        null,
        anomaly);
  }

  private boolean inExcursion(long eventTime) {
    if (config.excursionStart() == null) {
      return false;
    }
    long from = startMs + config.excursionStart().toMillis();
    return eventTime >= from && eventTime < from + config.excursionLength().toMillis();
  }

  private byte[] malformedPayload(MalformedKind kind, Device d, long eventTime) {
    switch (kind) {
      case RANDOM_BYTES:
        {
          // random garbage that is guaranteed not to parse (retry the rare bytes that happen to)
          while (true) {
            byte[] b = new byte[8 + random.nextInt(120)];
            random.nextBytes(b);
            if (!parses(b)) {
              return b;
            }
          }
        }
      case TRUNCATED:
        {
          d.sample(eventTime, random, 0);
          byte[] full = serialize(d.toTelemetry(eventTime, d.id), d.version);
          for (int attempt = 0; attempt < 20; attempt++) {
            byte[] cut = Arrays.copyOf(full, 1 + random.nextInt(full.length - 1));
            if (!parses(cut)) {
              return cut;
            }
          }
          // cut inside the device id string (field 1, length-delimited): never parses
          return Arrays.copyOf(full, 3);
        }
      case OUT_OF_RANGE:
        {
          d.sample(eventTime, random, 0);
          Telemetry.Builder b = d.toTelemetry(eventTime, d.id).toBuilder();
          switch (random.nextInt(3)) {
            case 0:
              b.setTemperature(
                  random.nextBoolean()
                      ? 1000 + random.nextDouble(500)
                      : -300 - random.nextDouble(100)); // below absolute zero
              break;
            case 1:
              b.setHumidity(
                  random.nextBoolean()
                      ? 150 + random.nextDouble(100)
                      : -10 - random.nextDouble(50));
              break;
            default:
              if (d.version >= 2) {
                b.setPressure(
                    random.nextBoolean() ? 5000 + random.nextDouble(1000) : random.nextDouble(50));
              } else {
                b.setTemperature(999.9);
              }
          }
          return serialize(b.build(), d.version);
        }
      case MISSING_DEVICE_ID:
        {
          d.sample(eventTime, random, 0);
          return serialize(d.toTelemetry(eventTime, ""), d.version);
        }
      case FUTURE_TIMESTAMP:
        {
          d.sample(eventTime, random, 0);
          long future = eventTime + YEAR_MS + random.nextInt(1_000_000);
          return serialize(d.toTelemetry(future, d.id), d.version);
        }
      default:
        throw new AssertionError(kind);
    }
  }

  private static boolean parses(byte[] b) {
    try {
      Telemetry.parseFrom(b);
      return true;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  /** Serializes with the writer a firmware of {@code version} has (the frozen v1/v2 classes). */
  static byte[] serialize(Telemetry t, int version) {
    switch (version) {
      case 1:
        {
          org.iotbeam.proto.v1.Telemetry.Builder b =
              org.iotbeam.proto.v1.Telemetry.newBuilder()
                  .setDeviceId(t.getDeviceId())
                  .setTimestampMs(t.getTimestampMs())
                  .setSchemaVersion(1);
          if (t.hasTemperature()) {
            b.setTemperature(t.getTemperature());
          }
          if (t.hasHumidity()) {
            b.setHumidity(t.getHumidity());
          }
          return b.build().toByteArray();
        }
      case 2:
        {
          org.iotbeam.proto.v2.Telemetry.Builder b =
              org.iotbeam.proto.v2.Telemetry.newBuilder()
                  .setDeviceId(t.getDeviceId())
                  .setTimestampMs(t.getTimestampMs())
                  .setSchemaVersion(2)
                  .putAllMetadata(t.getMetadataMap());
          if (t.hasTemperature()) {
            b.setTemperature(t.getTemperature());
          }
          if (t.hasHumidity()) {
            b.setHumidity(t.getHumidity());
          }
          if (t.hasPressure()) {
            b.setPressure(t.getPressure());
          }
          if (t.hasLocation()) {
            GeoLocation l = t.getLocation();
            org.iotbeam.proto.v2.GeoLocation.Builder lb =
                org.iotbeam.proto.v2.GeoLocation.newBuilder()
                    .setLatitude(l.getLatitude())
                    .setLongitude(l.getLongitude());
            if (l.hasAltitude()) {
              lb.setAltitude(l.getAltitude());
            }
            b.setLocation(lb);
          }
          return b.build().toByteArray();
        }
      default:
        return t.toByteArray();
    }
  }

  /** One virtual device: fixed traits drawn at creation, and its evolving sensor state. */
  private static final class Device {
    final String id;
    final int version;
    final Site site;
    final long phaseMs;
    final double lat;
    final double lon;
    final double altitude;
    final double tempOffset;
    final double dailyAmplitude;
    final double humidityBase;
    final double pressurePhase;
    final double drainPerReading;
    final double signalMean;
    final String firmware;
    long readings;
    double battery;

    // current reading
    double temperature;
    double humidity;
    double pressure;
    double curLat;
    double curLon;
    int signal;

    // anomaly episode state
    AnomalyKind episode;
    int episodeLeft;
    int episodeLength;
    double driftTarget;
    double stuckTemp;
    double stuckHumidity;

    Device(int index, String id, int version, Site site, SplittableRandom r, long phaseMs) {
      this.id = id;
      this.version = version;
      this.site = site;
      this.phaseMs = phaseMs;
      // within ~2 km of the site
      this.lat = site.latitude() + gaussian(r) * 0.01;
      this.lon =
          site.longitude()
              + gaussian(r) * 0.01 / Math.max(0.2, Math.cos(Math.toRadians(site.latitude())));
      this.altitude = site.altitudeM() + r.nextDouble(30);
      this.tempOffset = gaussian(r) * 2.5;
      this.dailyAmplitude = 4 + r.nextDouble(4);
      this.humidityBase = 45 + r.nextDouble(25);
      this.pressurePhase = r.nextDouble(2 * Math.PI);
      this.drainPerReading = 0.0005 + r.nextDouble(0.005);
      this.battery = 60 + r.nextDouble(40);
      this.signalMean = -95 + r.nextDouble(40);
      this.firmware = version + "." + r.nextInt(4) + "." + r.nextInt(10);
    }

    /** Advances the sensors to {@code t}; maybe starts an anomaly; returns the one showing. */
    AnomalyKind sample(long t, SplittableRandom r, double anomalyRate) {
      double localHours = ((t / 3_600_000.0) + site.longitude() / 15.0) % 24;
      if (localHours < 0) {
        localHours += 24;
      }
      double daily = Math.sin(2 * Math.PI * (localHours - 9) / 24); // peak at 15:00
      double days = t / 86_400_000.0;
      temperature = site.climateC() + tempOffset + dailyAmplitude * daily + gaussian(r) * 0.3;
      humidity = humidityBase - 15 * daily + gaussian(r) * 2;
      pressure =
          1013.25
              - 0.12 * altitude
              + 6 * Math.sin(2 * Math.PI * days / 3.3 + pressurePhase)
              + 0.6 * daily
              + gaussian(r) * 0.2;
      battery -= drainPerReading * (0.5 + r.nextDouble());
      if (battery < 5) {
        battery = 100; // the battery got replaced
      }
      signal = (int) Math.round(signalMean + gaussian(r) * 3);
      curLat = lat + gaussian(r) * 0.00003;
      curLon = lon + gaussian(r) * 0.00003;

      AnomalyKind showing = null;
      if (episode == null && anomalyRate > 0 && r.nextDouble() < anomalyRate) {
        episode = AnomalyKind.values()[r.nextInt(AnomalyKind.values().length)];
        switch (episode) {
          case SPIKE:
            episodeLength = 1;
            driftTarget = (r.nextBoolean() ? 1 : -1) * (15 + r.nextDouble(15));
            break;
          case DRIFT:
            episodeLength = 30 + r.nextInt(91);
            driftTarget = (r.nextBoolean() ? 1 : -1) * (5 + r.nextDouble(10));
            break;
          default:
            episodeLength = 20 + r.nextInt(81);
            stuckTemp = round2(temperature);
            stuckHumidity = round2(humidity);
        }
        episodeLeft = episodeLength;
      }
      if (episode != null) {
        showing = episode;
        switch (episode) {
          case SPIKE:
            temperature += driftTarget;
            break;
          case DRIFT:
            temperature += driftTarget * (episodeLength - episodeLeft + 1) / episodeLength;
            break;
          default:
            temperature = stuckTemp;
            humidity = stuckHumidity;
        }
        if (--episodeLeft == 0) {
          episode = null;
        }
      }
      temperature = clamp(temperature, -55, 95);
      humidity = clamp(humidity, 0, 100);
      pressure = clamp(pressure, 310, 1090);
      return showing;
    }

    Telemetry toTelemetry(long t, String deviceId) {
      Telemetry.Builder b =
          Telemetry.newBuilder()
              .setDeviceId(deviceId)
              .setTimestampMs(t)
              .setSchemaVersion(version)
              .setTemperature(round2(temperature))
              .setHumidity(round2(humidity));
      if (version >= 2) {
        b.setPressure(round2(pressure))
            .setLocation(
                GeoLocation.newBuilder()
                    .setLatitude(round6(curLat))
                    .setLongitude(round6(curLon))
                    .setAltitude(Math.round(altitude)))
            .putMetadata("firmware", firmware)
            .putMetadata("site", site.name());
      }
      if (version >= 3) {
        b.setBatteryLevel(round2(battery)).setSignalStrength(signal);
        if (battery < 10) {
          b.addErrorCodes("E_LOW_BATTERY");
        }
        if (signal < -100) {
          b.addErrorCodes("E_WEAK_SIGNAL");
        }
      }
      return b.build();
    }
  }

  static double gaussian(SplittableRandom r) {
    // Box-Muller on the given generator (SplittableRandom has no nextGaussian on Java 17)
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
