package org.iotbeam.domain.geo;

/**
 * Geohash encoding (Niemeyer, 2008): interleaved longitude/latitude bisection bits in base 32.
 * Nearby points share a prefix, so a geohash is a cheap key for grouping devices by area.
 */
public final class Geohash {
  private static final char[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();

  private Geohash() {}

  /**
   * The geohash of a point with {@code precision} characters (1..12); 7 is about 150 m.
   *
   * @throws IllegalArgumentException for coordinates outside the globe
   */
  public static String encode(double latitude, double longitude, int precision) {
    if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException(
          "coordinates out of range: lat=" + latitude + " lon=" + longitude);
    }
    if (precision < 1 || precision > 12) {
      throw new IllegalArgumentException("precision must be 1..12, was " + precision);
    }
    double latLo = -90, latHi = 90, lonLo = -180, lonHi = 180;
    StringBuilder hash = new StringBuilder(precision);
    boolean lonBit = true;
    int bits = 0;
    int ch = 0;
    while (hash.length() < precision) {
      if (lonBit) {
        double mid = (lonLo + lonHi) / 2;
        if (longitude >= mid) {
          ch = (ch << 1) | 1;
          lonLo = mid;
        } else {
          ch <<= 1;
          lonHi = mid;
        }
      } else {
        double mid = (latLo + latHi) / 2;
        if (latitude >= mid) {
          ch = (ch << 1) | 1;
          latLo = mid;
        } else {
          ch <<= 1;
          latHi = mid;
        }
      }
      lonBit = !lonBit;
      if (++bits == 5) {
        hash.append(BASE32[ch]);
        bits = 0;
        ch = 0;
      }
    }
    return hash.toString();
  }
}
