package org.iotbeam.simulator;

import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context {@code traceparent} values: {@code 00-<32 hex trace id>-<16 hex span id>-01}.
 */
public final class Traceparent {
  public static final Pattern PATTERN = Pattern.compile("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Traceparent() {}

  /** A sampled traceparent whose ids come from {@code random} (deterministic for its seed). */
  public static String next(SplittableRandom random) {
    long t1 = random.nextLong();
    long t2 = random.nextLong();
    long span = random.nextLong();
    if (t1 == 0 && t2 == 0) {
      t2 = 1; // an all-zero trace id is invalid
    }
    if (span == 0) {
      span = 1;
    }
    char[] c = new char[55];
    c[0] = '0';
    c[1] = '0';
    c[2] = '-';
    hex(t1, c, 3);
    hex(t2, c, 19);
    c[35] = '-';
    hex(span, c, 36);
    c[52] = '-';
    c[53] = '0';
    c[54] = '1';
    return new String(c);
  }

  private static void hex(long v, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }

  public static boolean isValid(String s) {
    return s != null && PATTERN.matcher(s).matches();
  }
}
