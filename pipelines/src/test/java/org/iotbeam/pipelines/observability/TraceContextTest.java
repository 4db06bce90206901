package org.iotbeam.pipelines.observability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TraceContextTest {
  private static final String W3C = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  public void parsesAndFormatsTheW3cExample() {
    TraceContext t = TraceContext.parse(W3C).orElseThrow();
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", t.traceId());
    assertEquals("00f067aa0ba902b7", t.parentId());
    assertTrue(t.sampled());
    assertEquals(W3C, t.format());
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceContext.traceIdOf(W3C));
  }

  @Test
  public void rejectsWhatTheSpecRejects() {
    for (String bad :
        new String[] {
          null,
          "",
          "garbage",
          W3C.replace("-01", "-1"),
          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
          W3C + "-extra"
        }) {
      assertFalse(String.valueOf(bad), TraceContext.isValid(bad));
      assertEquals("", TraceContext.traceIdOf(bad));
    }
    // a future version may carry more fields
    assertTrue(TraceContext.isValid("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xy"));
  }

  @Test
  public void childKeepsTheTraceWithANewSpan() {
    TraceContext root = TraceContext.newRoot();
    assertTrue(TraceContext.isValid(root.format()));
    TraceContext child = root.child();
    assertEquals(root.traceId(), child.traceId());
    assertNotEquals(root.parentId(), child.parentId());
    assertTrue(TraceContext.isValid(child.format()));
  }

  @Test
  public void acceptsWhatTheSimulatorSends() {
    assertTrue(
        TraceContext.isValid(
            org.iotbeam.simulator.Traceparent.next(new java.util.SplittableRandom(7))));
  }
}
