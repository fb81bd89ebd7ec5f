package io.daemonguard.admission;

/** One broken rule at one place in an object. {@code container} is null when no container is involved. */
public record Violation(RuleId rule, String message, String path, String container) {}
