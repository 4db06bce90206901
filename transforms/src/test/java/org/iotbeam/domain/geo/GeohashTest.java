package org.iotbeam.domain.geo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

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

  @Test
  public void rejectsPointsOffTheGlobe() {
    assertThrows(IllegalArgumentException.class, () -> Geohash.encode(91, 0, 5));
    assertThrows(IllegalArgumentException.class, () -> Geohash.encode(Double.NaN, 0, 5));
    assertThrows(IllegalArgumentException.class, () -> Geohash.encode(0, 0, 13));
  }
}
