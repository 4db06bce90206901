package org.iotbeam.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class SasTokenTest {
  // key = base64("0123456789abcdef0123456789abcdef"); expected values computed independently
  // with Python's hmac/hashlib/urllib.parse.quote_plus
  private static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  @Test
  public void deviceTokenMatchesAnIndependentImplementation() {
    assertEquals(
        "SharedAccessSignature sr=myhub.azure-devices.net%2Fdevices%2Fdev-000001"
            + "&sig=WS%2B7ljCdYGuPXhBXHseEvxoQlpdt9Zd5DExT0MinGQI%3D&se=1767225600",
        SasToken.forDevice("myhub.azure-devices.net", "dev-000001", KEY, 1767225600L));
  }

  @Test
  public void groupKeyDerivation() {
    assertEquals(
        "yHSnlyDfNq3yGs/YYqY8/+kW/fDXomdFV9Bpw9gxBGw=",
        SasToken.deriveDeviceKey(KEY, "dev-000042"));
    assertNotEquals(
        SasToken.deriveDeviceKey(KEY, "dev-000042"), SasToken.deriveDeviceKey(KEY, "dev-000043"));
  }

  @Test
  public void policyNameAndUsername() {
    assertThat(
        SasToken.generate("myhub.azure-devices.net", KEY, "iothubowner", 1L),
        containsString("&se=1&skn=iothubowner"));
    assertEquals(
        "myhub.azure-devices.net/dev-1/?api-version=2021-04-12",
        SasToken.mqttUsername("myhub.azure-devices.net", "dev-1"));
  }

  @Test
  public void badKeySaysSo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SasToken.forDevice("h", "d", "not base64 !!", 1));
    assertThat(e.getMessage(), containsString("not base64"));
  }
}
