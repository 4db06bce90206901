package org.iotbeam.runners;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.pipelines.batch.ArchiveRange;
import org.iotbeam.pipelines.batch.BackfillPipeline;
import org.iotbeam.pipelines.common.ProcessingConfigs;

/**
 * The checks {@code backfill} makes of its flags before it reads the archive: Beam's parsing, the
 * processing configuration and the range. In a JVM of its own: Beam refuses to hold
 * BackfillPipeline's and StreamingPipeline's options side by side (their {@code outputBase} differs
 * in its default), and {@code Main} registers only one of them per run.
 */
public final class BackfillFlagCheck {
  private BackfillFlagCheck() {}

  public static void main(String[] args) {
    PipelineOptionsFactory.register(BackfillPipeline.Options.class);
    try {
      BackfillPipeline.Options o =
          PipelineOptionsFactory.fromArgs(args).withValidation().as(BackfillPipeline.Options.class);
      ArchiveRange.parse(
          o.getFrom(), o.getTo(), ProcessingConfigs.fromOptions(o).windowSize().getMillis());
    } catch (RuntimeException e) {
      System.err.println("backfill: " + e.getMessage());
      System.exit(2);
    }
    System.exit(0);
  }
}
