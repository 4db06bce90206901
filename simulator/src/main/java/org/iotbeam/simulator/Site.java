package org.iotbeam.simulator;

import java.util.List;

/**
 * A place devices are installed around: devices get positions scattered within a few km of it.
 * {@code climateC} is the mean temperature there; {@code altitudeM} lowers the pressure.
 */
public record Site(
    String name, double latitude, double longitude, double altitudeM, double climateC) {

  public Site {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("site name is empty");
    }
    if (!(Math.abs(latitude) <= 90) || !(Math.abs(longitude) <= 180)) {
      throw new IllegalArgumentException(
          "site "
              + name
              + ": latitude must be in [-90, 90] and "
              + "longitude in [-180, 180], got "
              + latitude
              + ", "
              + longitude);
    }
  }

  public static final List<Site> DEFAULTS =
      List.of(
          new Site("amsterdam", 52.3676, 4.9041, 0, 11),
          new Site("seattle", 47.6062, -122.3321, 50, 12),
          new Site("singapore", 1.3521, 103.8198, 15, 27),
          new Site("sao-paulo", -23.5505, -46.6333, 760, 20),
          new Site("denver", 39.7392, -104.9903, 1609, 10));

  /** Parses {@code name:lat:lon[:altitudeM[:climateC]]}, e.g. {@code oslo:59.91:10.75:20:6}. */
  public static Site parse(String spec) {
    String[] p = spec.split(":");
    if (p.length < 3 || p.length > 5) {
      throw new IllegalArgumentException(
          "--site '"
              + spec
              + "' must look like name:lat:lon[:altitudeM[:meanTempC]], e.g. oslo:59.91:10.75:20:6");
    }
    try {
      double lat = Double.parseDouble(p[1]);
      double lon = Double.parseDouble(p[2]);
      double alt = p.length > 3 ? Double.parseDouble(p[3]) : 0;
      double climate = p.length > 4 ? Double.parseDouble(p[4]) : 15;
      return new Site(p[0], lat, lon, alt, climate);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--site '"
              + spec
              + "': lat, lon, altitude and mean "
              + "temperature must be numbers ("
              + e.getMessage()
              + ")");
    }
  }
}
