package org.iotbeam.pipelines.sinks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import com.google.protobuf.util.JsonFormat;
import java.util.Random;
import org.iotbeam.proto.PaneTiming;
import org.iotbeam.proto.WindowAggregate;
import org.junit.Test;

/** The hand-written aggregate JSON is protobuf's JsonFormat output, character for character. */
public class WindowAggregateJsonTest {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace().alwaysPrintFieldsWithNoPresence();

  private static final double[] DOUBLES = {
    0.0,
    -0.0,
    1.0,
    -1.5,
    20.25,
    1e-300,
    1e22,
    1e7,
    1e-3,
    123456789.123,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY
  };
  private static final long[] LONGS = {
    0, 1, -1, 1_767_225_600_000L, Long.MAX_VALUE, Long.MIN_VALUE
  };

  private static String printed(WindowAggregate a) throws Exception {
    return PRINTER.print(a);
  }

  private static WindowAggregate random(Random r) {
    return WindowAggregate.newBuilder()
        .setId("dev-" + r.nextInt(1000) + "|temperature|" + r.nextLong())
        .setDeviceId("dev-" + r.nextInt(1000))
        .setMetric(r.nextBoolean() ? "humidity" : "")
        .setWindowStartMs(LONGS[r.nextInt(LONGS.length)])
        .setWindowEndMs(r.nextLong())
        .setCount(r.nextInt(100))
        .setMin(DOUBLES[r.nextInt(DOUBLES.length)])
        .setMax(r.nextDouble() * 200 - 100)
        .setMean(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20))
        .setStddev(DOUBLES[r.nextInt(DOUBLES.length)])
        .setFirstTimestampMs(r.nextLong())
        .setLastTimestampMs(LONGS[r.nextInt(LONGS.length)])
        .setPaneTiming(PaneTiming.forNumber(r.nextInt(4)))
        .setPaneIndex(r.nextInt(3))
        .setFinalPane(r.nextBoolean())
        .setDeviceType(r.nextBoolean() ? "thermostat" : "")
        .setSite("site-" + r.nextInt(10))
        .build();
  }

  @Test
  public void printsWhatJsonFormatPrints() throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      WindowAggregate a = random(r);
      String direct = WindowAggregateJson.toJson(a);
      assertNotNull("plain strings take the direct path", direct);
      assertEquals(printed(a), direct);
    }
  }

  @Test
  public void leavesToJsonFormatWhatNeedsEscapingOrIsUnknown() throws Exception {
    for (String s :
        new String[] {"a\"b", "a\\b", "<x>", "a&b", "a=b", "it's", "tab\t", "é", "日本"}) {
      WindowAggregate a = WindowAggregate.newBuilder().setId("x").setSite(s).build();
      assertNull(s, WindowAggregateJson.toJson(a));
      assertEquals(printed(a), ProtoJson.toJson(a));
    }
    WindowAggregate unknown = WindowAggregate.newBuilder().setPaneTimingValue(99).build();
    assertNull(WindowAggregateJson.toJson(unknown));
    assertEquals(printed(unknown), ProtoJson.toJson(unknown));
  }

  @Test
  public void readsBackAsTheSameRecord() {
    WindowAggregate a = random(new Random(7)).toBuilder().setMin(3.5).setStddev(0.25).build();
    assertEquals(a, ProtoJson.parse(ProtoJson.toJson(a), WindowAggregate.newBuilder()).build());
  }
}
