package org.iotbeam.simulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs a simulation: generates messages ({@link MessageGenerator}), paces them ({@link
 * RateLimiter}), hands them to a {@link Transport} in batches, reports progress on stderr and
 * returns a {@link SimulatorSummary}. The transport stays open (the caller owns it).
 *
 * <pre>{@code
 * SimulatorConfig cfg = new SimulatorConfig().devices(50).count(2000).rate(2000).seed(7);
 * try (Transport t = new KafkaTransport(kafka.bootstrapServers(), "telemetry", Map.of())) {
 *   SimulatorSummary s = Simulator.run(cfg, t);
 * }
 * }</pre>
 */
public final class Simulator {
  private final SimulatorConfig config;
  private final Transport transport;
  private final PrintStream progressOut;
  private volatile boolean stopRequested;
  private final AtomicLong handedOver = new AtomicLong();
  private Consumer<SimulatedMessage> tap = m -> {};

  public Simulator(SimulatorConfig config, Transport transport, PrintStream progressOut) {
    this.config = config.validate();
    this.transport = transport;
    this.progressOut = progressOut;
  }

  /** Runs {@code config} against {@code transport}, progress to stderr. */
  public static SimulatorSummary run(SimulatorConfig config, Transport transport) throws Exception {
    return new Simulator(config, transport, System.err).run();
  }

  /** Sees every message just before it is sent (tests, and a demo that wants to show them). */
  public Simulator tap(Consumer<SimulatedMessage> tap) {
    this.tap = tap;
    return this;
  }

  /** Asks a running simulation to stop after the current batch (e.g. from a shutdown hook). */
  public void stop() {
    stopRequested = true;
  }

  public SimulatorSummary run() throws Exception {
    long startMs =
        config.startTime() != null ? config.startTime().toEpochMilli() : System.currentTimeMillis();
    MessageGenerator gen = new MessageGenerator(config, startMs);
    RateLimiter limiter = config.unthrottled() ? null : new RateLimiter(config.rate());
    long[] validByVersion = new long[4];
    long[] malformedByVersion = new long[4];
    Map<MalformedKind, Long> byKind = SimulatorSummary.emptyMalformed();
    Map<AnomalyKind, Long> anomalies = SimulatorSummary.emptyAnomalies();
    long valid = 0;
    long malformed = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    long t0 = System.nanoTime();
    long deadline = config.duration() == null ? Long.MAX_VALUE : t0 + config.duration().toNanos();
    long limit = config.count() > 0 ? config.count() : Long.MAX_VALUE;
    ScheduledExecutorService progress = startProgress(t0);
    List<SimulatedMessage> batch = new ArrayList<>(config.batchSize());
    try {
      while (!stopRequested && gen.generated() < limit && System.nanoTime() < deadline) {
        int n = (int) Math.min(config.batchSize(), limit - gen.generated());
        if (limiter != null) {
          limiter.acquire(n);
          if (System.nanoTime() >= deadline) {
            break;
          }
        }
        batch.clear();
        for (int i = 0; i < n; i++) {
          SimulatedMessage m = gen.next();
          batch.add(m);
          if (m.valid()) {
            valid++;
            validByVersion[m.schemaVersion()]++;
          } else {
            malformed++;
            malformedByVersion[m.schemaVersion()]++;
            byKind.merge(m.malformed(), 1L, Long::sum);
          }
          if (m.anomaly() != null) {
            anomalies.merge(m.anomaly(), 1L, Long::sum);
          }
          first = Math.min(first, m.eventTimeMs());
          last = Math.max(last, m.eventTimeMs());
          tap.accept(m);
        }
        handedOver.addAndGet(n);
        transport.send(batch);
      }
      transport.flush();
    } finally {
      if (progress != null) {
        progress.shutdownNow();
      }
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    return new SimulatorSummary(
        transport.name(),
        gen.generated(),
        valid,
        malformed,
        validByVersion,
        malformedByVersion,
        byKind,
        anomalies,
        transport.delivered(),
        transport.failed(),
        transport.reconnects(),
        elapsedMs,
        first == Long.MAX_VALUE ? 0 : first,
        last == Long.MIN_VALUE ? 0 : last);
  }

  private ScheduledExecutorService startProgress(long t0) {
    if (progressOut == null
        || config.progressInterval() == null
        || config.progressInterval().isZero()
        || config.progressInterval().isNegative()) {
      return null;
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "simulator-progress");
              t.setDaemon(true);
              return t;
            });
    long every = config.progressInterval().toMillis();
    long[] previous = {0, t0};
    s.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          long sent = handedOver.get();
          double rate = (sent - previous[0]) * 1e9 / Math.max(1, now - previous[1]);
          previous[0] = sent;
          previous[1] = now;
          progressOut.printf(
              "[simulator] %s sent=%d delivered=%d rate=%.0f/s errors=%d "
                  + "reconnects=%d elapsed=%ds%n",
              transport.name(),
              sent,
              transport.delivered(),
              rate,
              transport.failed(),
              transport.reconnects(),
              TimeUnit.NANOSECONDS.toSeconds(now - t0));
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    return s;
  }
}
