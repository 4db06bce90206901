package org.iotbeam.transforms;

import java.io.Serializable;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.registry.DeviceRegistry;
import org.iotbeam.domain.validation.ValidationLimits;
import org.joda.time.Duration;

/**
 * Everything {@link TelemetryProcessing} needs to know, shared by the streaming and the batch
 * pipeline so that both compute the same thing. Immutable; start from {@link #defaults()}.
 */
public final class ProcessingConfig implements Serializable {
  private final Duration windowSize;
  private final Duration allowedLateness;
  private final Duration earlyFiringDelay;
  private final Duration dedupHorizon;
  private final ValidationLimits limits;
  private final DeviceRegistry registry;
  private final AlertRules rules;

  private ProcessingConfig(Duration windowSize, Duration allowedLateness,
      Duration earlyFiringDelay, Duration dedupHorizon, ValidationLimits limits,
      DeviceRegistry registry, AlertRules rules) {
    if (windowSize.getMillis() <= 0) {
      throw new IllegalArgumentException("window size must be positive, was " + windowSize);
    }
    if (allowedLateness.getMillis() < 0) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, was " + allowedLateness);
    }
    if (earlyFiringDelay != null && earlyFiringDelay.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "early firing delay must be positive (or absent), was " + earlyFiringDelay);
    }
    if (dedupHorizon.getMillis() <= 0) {
      throw new IllegalArgumentException("dedup horizon must be positive, was " + dedupHorizon);
    }
    this.windowSize = windowSize;
    this.allowedLateness = allowedLateness;
    this.earlyFiringDelay = earlyFiringDelay;
    this.dedupHorizon = dedupHorizon;
    this.limits = limits;
    this.registry = registry;
    this.rules = rules;
  }

  /** 5-minute windows, 10 minutes of allowed lateness, no early panes, 10-minute dedup. */
  public static ProcessingConfig defaults() {
    return new ProcessingConfig(Duration.standardMinutes(5), Duration.standardMinutes(10), null,
        Duration.standardMinutes(10), ValidationLimits.defaults(), DeviceRegistry.empty(),
        AlertRules.none());
  }

  public ProcessingConfig withWindowSize(Duration d) {
    return new ProcessingConfig(d, allowedLateness, earlyFiringDelay, dedupHorizon, limits,
        registry, rules);
  }

  public ProcessingConfig withAllowedLateness(Duration d) {
    return new ProcessingConfig(windowSize, d, earlyFiringDelay, dedupHorizon, limits,
        registry, rules);
  }

  /** Early (speculative) panes this long after a window's first reading; null turns them off. */
  public ProcessingConfig withEarlyFiringDelay(Duration d) {
    return new ProcessingConfig(windowSize, allowedLateness, d, dedupHorizon, limits,
        registry, rules);
  }

  public ProcessingConfig withDedupHorizon(Duration d) {
    return new ProcessingConfig(windowSize, allowedLateness, earlyFiringDelay, d, limits,
        registry, rules);
  }

  public ProcessingConfig withLimits(ValidationLimits l) {
    return new ProcessingConfig(windowSize, allowedLateness, earlyFiringDelay, dedupHorizon, l,
        registry, rules);
  }

  public ProcessingConfig withRegistry(DeviceRegistry r) {
    return new ProcessingConfig(windowSize, allowedLateness, earlyFiringDelay, dedupHorizon,
        limits, r, rules);
  }

  public ProcessingConfig withRules(AlertRules r) {
    return new ProcessingConfig(windowSize, allowedLateness, earlyFiringDelay, dedupHorizon,
        limits, registry, r);
  }

  public Duration windowSize() {
    return windowSize;
  }

  public Duration allowedLateness() {
    return allowedLateness;
  }

  public Duration earlyFiringDelay() {
    return earlyFiringDelay;
  }

  public Duration dedupHorizon() {
    return dedupHorizon;
  }

  public ValidationLimits limits() {
    return limits;
  }

  public DeviceRegistry registry() {
    return registry;
  }

  public AlertRules rules() {
    return rules;
  }
}
