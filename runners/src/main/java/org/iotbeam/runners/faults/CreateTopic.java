package org.iotbeam.runners.faults;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates a topic (replication 1) unless it exists, so a job can be submitted before anything is
 * produced: the streaming pipeline's start-up check and KafkaIO want the input topic to exist.
 *
 * <pre>
 * java -cp runners-shaded.jar org.iotbeam.runners.faults.CreateTopic BOOTSTRAP TOPIC PARTITIONS
 * </pre>
 */
public final class CreateTopic {
  private CreateTopic() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: CreateTopic <bootstrap servers> <topic> <partitions>");
      System.exit(2);
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(List.of(new NewTopic(args[1], Integer.parseInt(args[2]), (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }
}
