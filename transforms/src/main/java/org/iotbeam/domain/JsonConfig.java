package org.iotbeam.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;

/**
 * Reads a configuration document strictly: an unknown field is a typo to report, not to ignore, and
 * every error names the document and says what is wrong.
 */
public final class JsonConfig {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JsonConfig() {}

  /**
   * @param what names the document in errors, e.g. "alert rules /etc/rules.json"
   * @throws IllegalArgumentException with a message a person can act on
   */
  public static <T> T read(byte[] json, Class<T> type, String what) {
    try {
      return STRICT.readValue(json, type);
    } catch (ValueInstantiationException e) {
      // a record's constructor refused a value: its message is the useful one
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException(what + " is not valid: " + cause.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          what
              + " is not valid: "
              + e.getOriginalMessage()
              + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""),
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " cannot be read: " + e.getMessage(), e);
    }
  }
}
