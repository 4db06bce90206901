package org.iotbeam.pipelines.kafka;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** {@link KafkaOptions} of a pipeline that also reads its telemetry from Kafka. */
public interface KafkaSourceOptions extends KafkaOptions {
  @Description("Topic (event hub) the telemetry arrives on.")
  @Default.String("telemetry")
  String getInputTopic();

  void setInputTopic(String value);

  @Description("Consumer group whose offsets the pipeline commits on checkpoints.")
  @Default.String("iotbeam-streaming")
  String getConsumerGroup();

  void setConsumerGroup(String value);

  /** The client settings of the consumer and the producers. */
  static KafkaClientSettings settings(KafkaSourceOptions o) {
    return KafkaOptions.settings(o, o.getConsumerGroup());
  }

  /**
   * Every problem with these flags: {@link KafkaOptions#problems}, the input topic's name, and an
   * input topic that is also an output (the pipeline would read its own output).
   */
  static List<String> problems(KafkaSourceOptions o) {
    List<String> p = KafkaOptions.problems(o, o.getConsumerGroup());
    KafkaOptions.topicNameProblem(p, "--inputTopic", o.getInputTopic());
    if (o.getInputTopic() != null && KafkaOptions.outputTopics(o).contains(o.getInputTopic())) {
      p.add(
          "--inputTopic must differ from the output topics (the pipeline would read its own "
              + "output)");
    }
    return p;
  }
}
