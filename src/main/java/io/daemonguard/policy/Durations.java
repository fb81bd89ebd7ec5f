package io.daemonguard.policy;

import io.daemonguard.api.NodePostureSpec;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations of whole hours, minutes and seconds, as the CRD's scanInterval and the operator's flags take. */
public final class Durations {
  private static final Pattern SHAPE = Pattern.compile(NodePostureSpec.DURATION_PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+)([hms])");

  private Durations() {}

  /** "6h", "1h30m", "90s", or a bare number of seconds ("120", as the older flags); else names {@code field}. */
  public static Duration parse(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": empty; expected a duration such as 6h, 30m, 1h30m or 90s");
    }
    String v = value.strip();
    if (v.chars().allMatch(Character::isDigit)) {
      return positive(Duration.ofSeconds(Long.parseLong(v)), value, field);
    }
    if (!SHAPE.matcher(v).matches()) {
      throw new IllegalArgumentException(field + ": \"" + value
          + "\" is not a duration; expected whole hours, minutes and seconds in that order, such as 6h, 30m, 1h30m"
          + " or 90s");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(v);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
    }
    return positive(total, value, field);
  }

  private static Duration positive(Duration d, String value, String field) {
    if (d.isZero()) {
      throw new IllegalArgumentException(field + ": \"" + value + "\" is zero; expected a positive duration");
    }
    return d;
  }
}
