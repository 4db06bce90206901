package org.iotbeam.domain.alerting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.iotbeam.domain.BundledConfig;
import org.junit.Test;

public class AlertRulesTest {
  private static String failure(String json) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> AlertRules.parse(json.getBytes(UTF_8), "rules.json"))
        .getMessage();
  }

  @Test
  public void bundledRulesLoad() {
    AlertRules r = BundledConfig.rules();
    assertTrue(r.thresholds().size() >= 5);
    assertTrue(r.anomaly().enabled());
    assertEquals(1, r.trends().size());
  }

  @Test
  public void mistakesFailWithAMessageThatSaysWhatToFix() {
    assertThat(
        failure(
            "{\"thresholds\": [{\"id\": \"a\", \"metric\": \"temprature\","
                + " \"operator\": \">\", \"value\": 1}]}"),
        containsString("unknown metric 'temprature'"));
    assertThat(
        failure(
            "{\"thresholds\": [{\"id\": \"a\", \"metric\": \"temperature\","
                + " \"operator\": \"=>\", \"value\": 1}]}"),
        containsString("unknown operator"));
    assertThat(
        failure(
            "{\"thresholds\": [{\"id\": \"a\", \"metric\": \"temperature\","
                + " \"operator\": \">\", \"value\": 1, \"severity\": \"urgent\"}]}"),
        containsString("unknown severity 'urgent'"));
    assertThat(
        failure(
            "{\"thresholds\": [{\"id\": \"a\", \"metric\": \"humidity\","
                + " \"operator\": \">\", \"value\": 1}, {\"id\": \"a\", \"metric\": \"humidity\","
                + " \"operator\": \"<\", \"value\": 0}]}"),
        containsString("used twice"));
    assertThat(failure("{\"tresholds\": []}"), containsString("tresholds"));
    assertThat(failure("{\"anomaly\": {\"alpha\": 2}}"), containsString("alpha"));
    assertThat(failure("{\"thresholds\": [{\"id\": \"a\""), containsString("rules.json"));
  }
}
