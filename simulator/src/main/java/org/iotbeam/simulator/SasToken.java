package org.iotbeam.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Azure shared access signature tokens, as IoT Hub wants them for a device's MQTT password: {@code
 * SharedAccessSignature sr={url-encoded resource}&sig={url-encoded base64 HMAC-SHA256(key,
 * url-encoded resource + "\n" + expiry)}&se={expiry}[&skn={policy}]}, where the resource for a
 * device is {@code {hub}.azure-devices.net/devices/{deviceId}} and the key is the device's base64
 * symmetric key.
 */
public final class SasToken {
  private SasToken() {}

  /**
   * @param resourceUri e.g. {@code myhub.azure-devices.net/devices/dev-000001}
   * @param base64Key the device (or policy) key as the portal shows it, base64
   * @param policyName the shared access policy name, or null for a device key
   * @param expiryEpochSeconds when the token stops working, seconds since the Unix epoch
   */
  public static String generate(
      String resourceUri, String base64Key, String policyName, long expiryEpochSeconds) {
    String sr = urlEncode(resourceUri);
    String toSign = sr + "\n" + expiryEpochSeconds;
    String sig = Base64.getEncoder().encodeToString(hmacSha256(decodeKey(base64Key), toSign));
    String token =
        "SharedAccessSignature sr=" + sr + "&sig=" + urlEncode(sig) + "&se=" + expiryEpochSeconds;
    return policyName == null || policyName.isEmpty() ? token : token + "&skn=" + policyName;
  }

  /** A device token for IoT Hub {@code hubHost} valid until {@code expiryEpochSeconds}. */
  public static String forDevice(
      String hubHost, String deviceId, String base64DeviceKey, long expiryEpochSeconds) {
    return generate(hubHost + "/devices/" + deviceId, base64DeviceKey, null, expiryEpochSeconds);
  }

  /**
   * The key of one device in a DPS symmetric-key enrollment group: base64 of HMAC-SHA256(group key,
   * device id). Lets one secret (the group key) serve many simulated devices.
   */
  public static String deriveDeviceKey(String base64GroupKey, String deviceId) {
    return Base64.getEncoder().encodeToString(hmacSha256(decodeKey(base64GroupKey), deviceId));
  }

  /** MQTT user name IoT Hub expects from a device. */
  public static String mqttUsername(String hubHost, String deviceId) {
    return hubHost + "/" + deviceId + "/?api-version=2021-04-12";
  }

  private static byte[] decodeKey(String base64Key) {
    if (base64Key == null || base64Key.isBlank()) {
      throw new IllegalArgumentException("the SAS key is empty");
    }
    try {
      return Base64.getDecoder().decode(base64Key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the SAS key is not base64: " + e.getMessage());
    }
  }

  private static byte[] hmacSha256(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
