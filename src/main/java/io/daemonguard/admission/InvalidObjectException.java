package io.daemonguard.admission;

/** An object whose fields the rules read have the wrong shape; it is never allowed by default, it is refused as bad input. */
public class InvalidObjectException extends RuntimeException {
  public InvalidObjectException(String message) {
    super(message);
  }
}
