package org.iotbeam.pipelines.notify;

import java.io.IOException;

/**
 * Where a message is claimed by its key right before it is sent, and its outcome recorded after.
 * Beam state keeps one notice per alert id and state across replays of the alerts, but a restart
 * from a checkpoint replays what came after that checkpoint, including sends that already happened;
 * the ledger, which outlives the job, is what recognises those.
 */
public interface SendLedger extends AutoCloseable {
  /** What a claim found. */
  enum Claim {
    /** Nobody claimed the key before (or the last attempt failed): send it. */
    NEW,
    /** It was sent: do not send it again. */
    SENT,
    /** Claimed, but no outcome was recorded: the job stopped while sending. */
    IN_DOUBT
  }

  Claim claim(String key) throws IOException;

  void sent(String key) throws IOException;

  void failed(String key) throws IOException;

  @Override
  default void close() {}

  /** No ledger: every claim is new (de-duplication by Beam state only). */
  SendLedger NONE =
      new SendLedger() {
        @Override
        public Claim claim(String key) {
          return Claim.NEW;
        }

        @Override
        public void sent(String key) {}

        @Override
        public void failed(String key) {}
      };
}
