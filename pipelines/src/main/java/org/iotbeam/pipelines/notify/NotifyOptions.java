package org.iotbeam.pipelines.notify;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The notification step's flags (docs/notifications.md). Without {@code --notificationRoutesFile}
 * nothing is notified. Secrets come from the environment only: {@value SmtpSettings#USERNAME_ENV} /
 * {@value SmtpSettings#PASSWORD_ENV} for the SMTP relay, {@value SmsSettings#CONNECTION_ENV} for
 * Azure Communication Services.
 */
public interface NotifyOptions extends PipelineOptions {
  @Description(
      "Notification routes (JSON, version 1; a local path or azfs://...): who is told "
          + "about which alerts over which channel. Empty: no notifications. Example: "
          + "iotbeam/example-notification-routes.json in the transforms jar.")
  @Default.String("")
  String getNotificationRoutesFile();

  void setNotificationRoutesFile(String value);

  @Description("SMTP relay host for the email channel, e.g. smtp.azurecomm.net.")
  @Default.String("")
  String getSmtpHost();

  void setSmtpHost(String value);

  @Description("SMTP relay port (587: submission with STARTTLS).")
  @Default.Integer(587)
  Integer getSmtpPort();

  void setSmtpPort(Integer value);

  @Description(
      "Sender address of the notification e-mails (for Azure Communication Services: "
          + "a MailFrom address of its connected domain, e.g. DoNotReply@<domain>).")
  @Default.String("")
  String getSmtpFrom();

  void setSmtpFrom(String value);

  @Description(
      "Require STARTTLS (true). false only for a relay on the same host or in a test "
          + "lab: credentials are then refused, they never travel in clear text.")
  @Default.Boolean(true)
  Boolean getSmtpStartTls();

  void setSmtpStartTls(Boolean value);

  @Description(
      "PEM file of the CA certificate(s) the SMTP relay's certificate must chain to, "
          + "instead of the JVM's trust store (a relay with a private CA). Empty: the JVM's.")
  @Default.String("")
  String getSmtpTrustedCertificates();

  void setSmtpTrustedCertificates(String value);

  @Description(
      "Sender of the SMS channel: a phone number (E.164) or alphanumeric sender id of "
          + "the Azure Communication Services resource.")
  @Default.String("")
  String getSmsFrom();

  void setSmsFrom(String value);

  @Description("Attempts per notification and channel before it becomes a dead letter.")
  @Default.Integer(3)
  Integer getNotificationMaxAttempts();

  void setNotificationMaxAttempts(Integer value);

  @Description("First retry delay of a notification, milliseconds; doubles per attempt.")
  @Default.Long(500)
  Long getNotificationInitialBackoffMs();

  void setNotificationInitialBackoffMs(Long value);

  @Description("Connect and send timeout of a channel (SMTP, SMS, webhook), milliseconds.")
  @Default.Long(10000)
  Long getNotificationTimeoutMs();

  void setNotificationTimeoutMs(Long value);

  @Description(
      "Send ledger: a directory every worker can write (shared or local for one node) "
          + "where each message is claimed by its key before it is sent, so a restart from a "
          + "checkpoint does not send again what went out after that checkpoint. Empty: none (Beam "
          + "state alone; see docs/notifications.md).")
  @Default.String("")
  String getNotificationLedger();

  void setNotificationLedger(String value);
}
