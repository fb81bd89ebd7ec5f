package io.daemonguard.webhook;

/** A request the webhook cannot judge; answered with 400 and this message, never with an allow. */
public class BadRequestException extends RuntimeException {
  public BadRequestException(String message) {
    super(message, null, false, false);
  }
}
