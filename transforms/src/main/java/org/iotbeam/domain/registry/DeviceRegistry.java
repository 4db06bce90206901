package org.iotbeam.domain.registry;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.iotbeam.domain.JsonConfig;
import org.iotbeam.proto.DeviceProfile;

/**
 * What the platform knows about devices: type, site and firmware, by exact device id or by id
 * prefix (a fleet provisioned as {@code plant-a-0001..9999} needs one line, not ten thousand). A
 * device it does not know gets {@link #defaults()}: unknown devices are counted, never dropped.
 *
 * <p>The JSON form:
 *
 * <pre>{@code
 * { "defaults": {"deviceType": "generic", "site": "unassigned", "firmware": "unknown"},
 *   "devices":  [{"deviceId": "dev-000001", "deviceType": "hvac", "site": "plant-a", "firmware": "2.1"}],
 *   "prefixes": [{"prefix": "dev-0001", "deviceType": "cold-room", "site": "plant-b", "firmware": "1.4"}] }
 * }</pre>
 *
 * Exact ids win over prefixes, and the longest matching prefix wins over shorter ones.
 */
public final class DeviceRegistry implements Serializable {
  private final Map<String, Entry> devices;
  private final List<Entry> prefixesLongestFirst;
  private final Entry defaults;
  // resolved profiles by device id: a fleet has a bounded number of devices, and building a
  // profile per reading cost more than the look-up
  private transient Map<String, Resolved> resolved;

  /** More devices than this are resolved per reading instead of remembered. */
  static final int MAX_REMEMBERED = 200_000;

  /** A device's profile, and whether the registry knows the device or gave it the defaults. */
  public record Resolved(DeviceProfile profile, boolean known) {}

  /** One registry line. {@code deviceId} or {@code prefix} says which devices it describes. */
  public record Entry(
      String deviceId, String prefix, String deviceType, String site, String firmware)
      implements Serializable {}

  private record Document(Entry defaults, List<Entry> devices, List<Entry> prefixes) {}

  private DeviceRegistry(Map<String, Entry> devices, List<Entry> prefixes, Entry defaults) {
    this.devices = devices;
    this.prefixesLongestFirst = prefixes;
    this.defaults = defaults;
  }

  public static DeviceRegistry empty() {
    return new DeviceRegistry(
        Map.of(), List.of(), new Entry(null, null, "generic", "unassigned", "unknown"));
  }

  /**
   * Parses the JSON form.
   *
   * @param source names the document in error messages (a path)
   * @throws IllegalArgumentException saying what is wrong and where
   */
  public static DeviceRegistry parse(byte[] json, String source) {
    Document doc = JsonConfig.read(json, Document.class, "device registry " + source);
    Entry defaults = doc.defaults() != null ? doc.defaults() : empty().defaults;
    Map<String, Entry> byId = new HashMap<>();
    for (Entry e : doc.devices() == null ? List.<Entry>of() : doc.devices()) {
      if (e.deviceId() == null || e.deviceId().isBlank()) {
        throw new IllegalArgumentException(
            "device registry " + source + ": an entry in \"devices\" has no deviceId");
      }
      if (byId.put(e.deviceId(), e) != null) {
        throw new IllegalArgumentException(
            "device registry " + source + ": device " + e.deviceId() + " is listed twice");
      }
    }
    List<Entry> prefixes = new ArrayList<>();
    for (Entry e : doc.prefixes() == null ? List.<Entry>of() : doc.prefixes()) {
      if (e.prefix() == null || e.prefix().isEmpty()) {
        throw new IllegalArgumentException(
            "device registry " + source + ": an entry in \"prefixes\" has no prefix");
      }
      prefixes.add(e);
    }
    prefixes.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
    return new DeviceRegistry(byId, prefixes, defaults);
  }

  /** The profile of a registered device; empty for a device the registry does not know. */
  public Optional<DeviceProfile> lookup(String deviceId) {
    Entry e = devices.get(deviceId);
    if (e == null) {
      for (Entry p : prefixesLongestFirst) {
        if (deviceId.startsWith(p.prefix())) {
          e = p;
          break;
        }
      }
    }
    return e == null ? Optional.empty() : Optional.of(profile(deviceId, e));
  }

  /** {@link #lookup}, or {@link #defaultsFor} an unknown device; remembered per device id. */
  public Resolved resolve(String deviceId) {
    Map<String, Resolved> cache = resolved;
    if (cache == null) {
      cache = resolved = new ConcurrentHashMap<>();
    }
    Resolved r = cache.get(deviceId);
    if (r == null) {
      Optional<DeviceProfile> known = lookup(deviceId);
      r = new Resolved(known.orElseGet(() -> defaultsFor(deviceId)), known.isPresent());
      if (cache.size() < MAX_REMEMBERED) {
        cache.put(deviceId, r);
      }
    }
    return r;
  }

  /** The profile an unknown device gets. */
  public DeviceProfile defaultsFor(String deviceId) {
    return profile(deviceId, defaults);
  }

  public int size() {
    return devices.size() + prefixesLongestFirst.size();
  }

  private DeviceProfile profile(String deviceId, Entry e) {
    return DeviceProfile.newBuilder()
        .setDeviceId(deviceId)
        .setDeviceType(orDefault(e.deviceType(), defaults.deviceType()))
        .setSite(orDefault(e.site(), defaults.site()))
        .setFirmware(orDefault(e.firmware(), defaults.firmware()))
        .build();
  }

  private static String orDefault(String v, String d) {
    return v == null || v.isBlank() ? (d == null ? "" : d) : v;
  }
}
