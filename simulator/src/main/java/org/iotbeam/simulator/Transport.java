package org.iotbeam.simulator;

import java.util.List;

/**
 * Where the simulator's messages go. {@link #send} may be asynchronous; {@link #flush} waits until
 * every message handed over so far is delivered or has failed. Counters are thread-safe.
 */
public interface Transport extends AutoCloseable {
  /** "mqtt", "kafka", "file", ... */
  String name();

  /** Hands over a batch; blocks when the transport pushes back. */
  void send(List<SimulatedMessage> batch) throws Exception;

  /** Waits for everything sent so far. */
  void flush() throws Exception;

  /** Messages the other side acknowledged (or, for files, wrote). */
  long delivered();

  /** Messages given up on after retries. */
  long failed();

  /** Reconnections after a lost connection. */
  default long reconnects() {
    return 0;
  }

  @Override
  void close() throws Exception;
}
