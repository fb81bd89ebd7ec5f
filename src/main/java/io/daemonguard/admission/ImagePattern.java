package io.daemonguard.admission;

import java.util.regex.Pattern;

/** An image reference pattern where {@code *} stands for any run of characters, as in Kyverno and Gatekeeper. */
public record ImagePattern(String glob, Pattern regex) {

  public static ImagePattern of(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("image pattern must not be empty");
    }
    String[] parts = glob.split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(".*");
      }
      if (!parts[i].isEmpty()) {
        regex.append(Pattern.quote(parts[i]));
      }
    }
    return new ImagePattern(glob, Pattern.compile(regex.toString()));
  }

  public boolean matches(String image) {
    return regex.matcher(image).matches();
  }
}
