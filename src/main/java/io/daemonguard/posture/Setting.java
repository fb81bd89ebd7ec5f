package io.daemonguard.posture;

/** One configuration value and where it came from: {@code tlsverify=true} from {@code /etc/docker/daemon.json}. */
public record Setting(String name, String value, String source) {

  public String describe() {
    return name + "=" + value + " (" + source + ")";
  }
}
