package org.iotbeam.pipelines.batch;

/** Writes a backfill's results through the same sinks as the streaming pipeline. */
final class BackfillOutputs {
  private BackfillOutputs() {}

  static void write(BackfillPipeline.BackfillResults results, BackfillPipeline.Options options) {
    // wired to org.iotbeam.pipelines.sinks once they land
  }
}
