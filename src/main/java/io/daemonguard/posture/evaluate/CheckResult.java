package io.daemonguard.posture.evaluate;

import io.daemonguard.api.PostureCheck;

/** One check's outcome on a node. */
public record CheckResult(PostureCheck check, CheckOutcome outcome) {}
