package org.iotbeam.pipelines.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.iotbeam.domain.BundledConfig;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.registry.DeviceRegistry;
import org.iotbeam.domain.validation.ValidationLimits;
import org.iotbeam.transforms.ProcessingConfig;
import org.joda.time.Duration;

/**
 * Turns {@link TelemetryOptions} into a {@link ProcessingConfig}, reading the rules and registry
 * through Beam's file systems (so {@code azfs://} works as a local path does). Every problem is
 * reported at once, before the pipeline is built, with what to fix.
 */
public final class ProcessingConfigs {
  private ProcessingConfigs() {}

  /**
   * @throws InvalidOptionsException listing every invalid option or unreadable file
   */
  public static ProcessingConfig fromOptions(TelemetryOptions o) {
    FileSystems.setDefaultPipelineOptions(o);
    List<String> problems = new ArrayList<>();
    positive(problems, "--windowMinutes", o.getWindowMinutes());
    notNegative(problems, "--allowedLatenessMinutes", o.getAllowedLatenessMinutes());
    notNegative(problems, "--earlyFiringSeconds", o.getEarlyFiringSeconds());
    notNegative(problems, "--lateFiringSeconds", o.getLateFiringSeconds());
    if (o.getOutOfOrderAlerts() == null) {
      problems.add("--outOfOrderAlerts must be EVALUATE or SKIP");
    }
    positive(problems, "--dedupMinutes", o.getDedupMinutes());
    positive(problems, "--maxPayloadBytes", o.getMaxPayloadBytes());
    positive(problems, "--maxFutureSkewSeconds", o.getMaxFutureSkewSeconds());
    positive(problems, "--maxAgeHours", o.getMaxAgeHours());
    AlertRules rules = null;
    DeviceRegistry registry = null;
    try {
      rules =
          o.getRulesFile().isEmpty()
              ? BundledConfig.rules()
              : AlertRules.parse(read(o.getRulesFile(), "--rulesFile"), o.getRulesFile());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    try {
      registry =
          o.getRegistryFile().isEmpty()
              ? BundledConfig.registry()
              : DeviceRegistry.parse(
                  read(o.getRegistryFile(), "--registryFile"), o.getRegistryFile());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException("invalid pipeline configuration", problems);
    }
    ValidationLimits limits =
        ValidationLimits.defaults()
            .withMaxPayloadBytes(o.getMaxPayloadBytes())
            .withMaxFutureSkew(java.time.Duration.ofSeconds(o.getMaxFutureSkewSeconds()))
            .withMaxAge(java.time.Duration.ofHours(o.getMaxAgeHours()));
    return ProcessingConfig.defaults()
        .withWindowSize(Duration.standardMinutes(o.getWindowMinutes()))
        .withAllowedLateness(Duration.standardMinutes(o.getAllowedLatenessMinutes()))
        .withEarlyFiringDelay(
            o.getEarlyFiringSeconds() == 0
                ? null
                : Duration.standardSeconds(o.getEarlyFiringSeconds()))
        .withLateFiringDelay(Duration.standardSeconds(o.getLateFiringSeconds()))
        .withOutOfOrderPolicy(o.getOutOfOrderAlerts())
        .withDedupHorizon(Duration.standardMinutes(o.getDedupMinutes()))
        .withLimits(limits)
        .withRules(rules)
        .withRegistry(registry);
  }

  /** Reads a whole (small) file: a local path, or any Beam file system by its scheme. */
  public static byte[] read(String path, String flag) {
    try {
      if (!path.contains("://")) {
        // a local path is read directly: Beam's local match treats a missing file as a glob
        // and walks its parent directory tree, which for "/x.json" is the whole disk
        return java.nio.file.Files.readAllBytes(java.nio.file.Path.of(path));
      }
      MatchResult.Metadata m = FileSystems.matchSingleFileSpec(path);
      try (InputStream in = Channels.newInputStream(FileSystems.open(m.resourceId()))) {
        return in.readAllBytes();
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(flag + "=" + path + ": no such file", e);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          flag + "=" + path + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static void positive(List<String> problems, String flag, Integer v) {
    if (v == null || v <= 0) {
      problems.add(flag + " must be a positive number, was " + v);
    }
  }

  private static void notNegative(List<String> problems, String flag, Integer v) {
    if (v == null || v < 0) {
      problems.add(flag + " must be zero or more, was " + v);
    }
  }
}
