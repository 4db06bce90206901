package org.iotbeam.domain.geo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class GeohashTest {
  @Test
  public void encodesKnownPoints() {
    // reference values from Niemeyer's geohash.org
    assertEquals("u4pruydqqvj", Geohash.encode(57.64911, 10.40744, 11));
    assertEquals("ezs42", Geohash.encode(42.605, -5.603, 5));
    assertEquals("s0000000", Geohash.encode(0, 0, 8));
  }

  @Test
  public void nearbyPointsShareAPrefix() {
    String a = Geohash.encode(52.3676, 4.9041, 7);
    String b = Geohash.encode(52.3677, 4.9042, 7);
    assertEquals(a.substring(0, 6), b.substring(0, 6));
  }

  /** Niemeyer's algorithm as written: bisect longitude and latitude in turn. */
  private static String bisection(double latitude, double longitude, int precision) {
    char[] base32 = "0123456789bcdefghjkmnpqrstuvwxyz".toCharArray();
    double latLo = -90;
    double latHi = 90;
    double lonLo = -180;
    double lonHi = 180;
    StringBuilder hash = new StringBuilder();
    boolean lonBit = true;
    int bits = 0;
    int ch = 0;
    while (hash.length() < precision) {
      double v = lonBit ? longitude : latitude;
      double mid = lonBit ? (lonLo + lonHi) / 2 : (latLo + latHi) / 2;
      boolean upper = v >= mid;
      ch = (ch << 1) | (upper ? 1 : 0);
      if (lonBit && upper) {
        lonLo = mid;
      } else if (lonBit) {
        lonHi = mid;
      } else if (upper) {
        latLo = mid;
      } else {
        latHi = mid;
      }
      lonBit = !lonBit;
      if (++bits == 5) {
        hash.append(base32[ch]);
        bits = 0;
        ch = 0;
      }
    }
    return hash.toString();
  }

  @Test
  public void agreesWithBisectionEverywhereIncludingCellBoundaries() {
    Random rnd = new Random(11);
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      points.add(new double[] {rnd.nextDouble() * 180 - 90, rnd.nextDouble() * 360 - 180});
    }
    double[] edges = {-90, 90, -180, 180, 0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE};
    for (double lat : edges) {
      for (double lon : edges) {
        if (Math.abs(lat) <= 90) {
          points.add(new double[] {lat, lon});
        }
      }
    }
    for (int i = 0; i < 20_000; i++) {
      // exactly on a cell boundary of some precision, and one ulp either side of it
      int n = 1 + rnd.nextInt(30);
      double lat = -90 + rnd.nextInt(1 << Math.min(n, 29)) * (180.0 / (1 << Math.min(n, 29)));
      double lon = -180 + rnd.nextInt(1 << Math.min(n, 29)) * (360.0 / (1 << Math.min(n, 29)));
      for (double dLat : new double[] {0, -1, 1}) {
        for (double dLon : new double[] {0, -1, 1}) {
          double a = dLat == 0 ? lat : dLat < 0 ? Math.nextDown(lat) : Math.nextUp(lat);
          double o = dLon == 0 ? lon : dLon < 0 ? Math.nextDown(lon) : Math.nextUp(lon);
          if (Math.abs(a) <= 90 && Math.abs(o) <= 180) {
            points.add(new double[] {a, o});
          }
        }
      }
    }
    for (double[] p : points) {
      for (int precision = 1; precision <= 12; precision++) {
        String expected = bisection(p[0], p[1], precision);
        String actual = Geohash.encode(p[0], p[1], precision);
        if (!expected.equals(actual)) {
          assertEquals(p[0] + "," + p[1] + " at " + precision, expected, actual);
        }
      }
    }
  }

  @Test
  public void rejectsPointsOffTheGlobe() {
    assertThrows(IllegalArgumentException.class, () -> Geohash.encode(91, 0, 5));
    assertThrows(IllegalArgumentException.class, () -> Geohash.encode(Double.NaN, 0, 5));
    assertThrows(IllegalArgumentException.class, () -> Geohash.encode(0, 0, 13));
  }
}
