package io.daemonguard.posture;

/** A fact that could not be read, and why: a check that needs it is "could not be judged", never passed. */
public record Unknown(String fact, String reason) {}
