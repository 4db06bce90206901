package org.iotbeam.pipelines.notify;

import com.azure.communication.sms.SmsClient;
import com.azure.communication.sms.SmsClientBuilder;
import com.azure.communication.sms.models.SmsSendOptions;
import com.azure.communication.sms.models.SmsSendResult;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.Context;
import com.azure.core.util.HttpClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.iotbeam.domain.notify.NotificationText;
import org.iotbeam.proto.OutgoingMessage;

/**
 * Sends an SMS through Azure Communication Services with its SDK ({@code SmsClient}), connection
 * string from env {@value SmsSettings#CONNECTION_ENV}. The SDK's own retries are off: the caller
 * retries, so every channel has the same attempts and dead letters. The message key travels as the
 * SMS tag (it comes back in delivery reports) and a delivery report is requested.
 */
public class SmsChannel implements NotificationChannel {
  /** ACS accepts tags of this length; longer keys are cut. */
  static final int MAX_TAG = 256;

  private final SmsSettings sms;
  private final NotificationText text;
  private final SmsClient client;
  private final String problem;

  public SmsChannel(SmsSettings sms, NotificationText text, Function<String, String> env) {
    this(sms, text, env, null);
  }

  /**
   * @param httpClient the transport, or null for the SDK's default (what production uses; a test
   *     passes one that trusts its local endpoint's certificate)
   */
  SmsChannel(
      SmsSettings sms, NotificationText text, Function<String, String> env, HttpClient httpClient) {
    this.sms = sms;
    this.text = text;
    // checked before the job started, but a worker may lack what the launcher had: then every
    // SMS becomes a dead letter saying so, instead of the step failing (and restarting) forever
    this.problem = SmsSettings.connectionStringProblem(env.apply(SmsSettings.CONNECTION_ENV));
    if (problem != null) {
      this.client = null;
      return;
    }
    Duration timeout = Duration.ofMillis(sms.timeoutMs());
    SmsClientBuilder b =
        new SmsClientBuilder()
            .connectionString(env.apply(SmsSettings.CONNECTION_ENV))
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
            .clientOptions(
                new HttpClientOptions()
                    .setConnectTimeout(timeout)
                    .setResponseTimeout(timeout)
                    .setReadTimeout(timeout));
    if (httpClient != null) {
      b.httpClient(httpClient);
    }
    this.client = b.buildClient();
  }

  @Override
  public void send(OutgoingMessage m) throws DeliveryException {
    if (client == null) {
      throw new DeliveryException(
          "the sms channel is not configured on this worker: " + problem, false);
    }
    String tag = m.getKey().length() <= MAX_TAG ? m.getKey() : m.getKey().substring(0, MAX_TAG);
    Iterable<SmsSendResult> results;
    try {
      results =
          client
              .sendWithResponse(
                  sms.from(),
                  List.of(m.getRecipient()),
                  text.shortText(m),
                  new SmsSendOptions().setDeliveryReportEnabled(true).setTag(tag),
                  Context.NONE)
              .getValue();
    } catch (HttpResponseException e) {
      int code = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
      throw new DeliveryException(
          "Azure Communication Services answered HTTP " + code + ": " + firstLine(e.getMessage()),
          retryable(code),
          e);
    } catch (RuntimeException e) {
      // no answer: connection refused, timeout, TLS failure
      throw new DeliveryException(
          "Azure Communication Services not reached: " + firstLine(String.valueOf(e)), true, e);
    }
    for (SmsSendResult r : results) {
      if (!r.isSuccessful()) {
        throw new DeliveryException(
            "SMS to "
                + r.getTo()
                + " refused (HTTP "
                + r.getHttpStatusCode()
                + "): "
                + r.getErrorMessage(),
            retryable(r.getHttpStatusCode()));
      }
    }
  }

  private static boolean retryable(int code) {
    return code == 0 || code == 408 || code == 429 || code >= 500;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
