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
    int bits = 5 * precision;
    int lonBits = (bits + 1) / 2; // the first bit is longitude's
    int latBits = bits / 2;
    long lon = cell(longitude, -180, 360, lonBits);
    long lat = cell(latitude, -90, 180, latBits);
    long code = 0;
    for (int i = 0; i < bits; i++) {
      long bit = (i & 1) == 0 ? lon >>> (lonBits - 1 - i / 2) : lat >>> (latBits - 1 - i / 2);
      code = code << 1 | (bit & 1);
    }
    char[] hash = new char[precision];
    for (int c = precision - 1; c >= 0; c--) {
      hash[c] = BASE32[(int) (code & 31)];
      code >>>= 5;
    }
    return new String(hash);
  }

  /**
   * Which of the {@code 2^n} equal cells of {@code [lo, lo + range]} holds {@code x}: the cell that
   * {@code n} bisection steps (upper half when {@code x >= mid}) end in. Computed by scaling and
   * then settled by comparing with the cell's bounds, which are exact in double, as bisection's
   * midpoints are: the same cell for every input, in constant time.
   */
  private static long cell(double x, double lo, double range, int n) {
    long cells = 1L << n;
    double width = range / cells;
    long j = (long) Math.floor((x - lo) / width);
    j = Math.max(0, Math.min(cells - 1, j));
    while (j > 0 && x < lo + j * width) {
      j--;
    }
    while (j < cells - 1 && x >= lo + (j + 1) * width) {
      j++;
    }
    return j;
  }
}
