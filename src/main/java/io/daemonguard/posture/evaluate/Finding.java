package io.daemonguard.posture.evaluate;

import io.daemonguard.api.PostureCheck;
import io.daemonguard.api.Severity;
import java.util.List;

/**
 * One thing found on a node. {@code unknown}: the check could not be judged (its message says why); such a finding
 * is severity info and never stands for a pass.
 */
public record Finding(
    PostureCheck check,
    Severity severity,
    String message,
    String cis,
    List<String> evidence,
    String remediation,
    boolean unknown) {}
