package org.iotbeam.pipelines.azure.cosmos;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class CosmosIdsTest {
  @Test
  public void ordinaryIdsAreKeptAsTheyAre() {
    assertEquals(
        "sensor-0001|temperature|1700000000000",
        CosmosIds.itemId("sensor-0001|temperature|1700000000000"));
  }

  @Test
  public void forbiddenCharactersAreEscaped() {
    assertEquals("a~2Fb~5Cc~3Fd~23e", CosmosIds.itemId("a/b\\c?d#e"));
    assertEquals("tab~09", CosmosIds.itemId("tab\t"));
  }

  @Test
  public void theMappingIsInjective() {
    // "~2F" literally and "/" must not collide
    assertNotEquals(CosmosIds.itemId("x/"), CosmosIds.itemId("x~2F"));
    assertEquals("x~7E2F", CosmosIds.itemId("x~2F"));
  }

  @Test
  public void emptyAndOverlongIdsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> CosmosIds.itemId(""));
    assertThrows(IllegalArgumentException.class, () -> CosmosIds.itemId("x".repeat(1024)));
  }
}
