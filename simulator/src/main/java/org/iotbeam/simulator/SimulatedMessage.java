package org.iotbeam.simulator;

/**
 * One generated message, before it goes to a transport.
 *
 * @param index position in the run's sequence, from 0
 * @param deviceId the sending device (also the Kafka key and MQTT topic segment, even when the
 *     payload is malformed)
 * @param eventTimeMs the device's clock when it took the reading
 * @param ingestDelayMs how long after {@code eventTimeMs} the file transport says it arrived
 * @param payload the bytes on the wire
 * @param traceparent W3C trace context
 * @param schemaVersion the schema version of the device's firmware (1, 2 or 3)
 * @param malformed what is wrong with it, or null for a valid-by-construction message
 * @param anomaly the anomaly this reading shows, or null
 */
public record SimulatedMessage(
    long index,
    String deviceId,
    long eventTimeMs,
    int ingestDelayMs,
    byte[] payload,
    String traceparent,
    int schemaVersion,
    MalformedKind malformed,
    AnomalyKind anomaly) {

  public boolean valid() {
    return malformed == null;
  }
}
