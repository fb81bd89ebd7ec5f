package io.daemonguard.operator.sweep;

import io.daemonguard.report.PolicyReports;
import java.time.Duration;

/**
 * @param format the reports' API, or null for none
 * @param reportPass also write pass results (a report for every swept object)
 * @param writesPerSecond the sweep's write budget (reports, Events, statuses)
 */
public record SweepSettings(Duration interval, PolicyReports.Format format, boolean reportPass,
    double writesPerSecond, Duration batchDelay) {

  public static SweepSettings defaults() {
    return new SweepSettings(Duration.ofHours(1), PolicyReports.Format.WGPOLICY, false, 50, Duration.ofMillis(500));
  }

  public SweepSettings withInterval(Duration value) {
    return new SweepSettings(value, format, reportPass, writesPerSecond, batchDelay);
  }

  public SweepSettings withFormat(PolicyReports.Format value) {
    return new SweepSettings(interval, value, reportPass, writesPerSecond, batchDelay);
  }

  public SweepSettings withReportPass(boolean value) {
    return new SweepSettings(interval, format, value, writesPerSecond, batchDelay);
  }

  public SweepSettings withWritesPerSecond(double value) {
    return new SweepSettings(interval, format, reportPass, value, batchDelay);
  }
}
