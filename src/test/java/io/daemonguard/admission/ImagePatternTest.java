package io.daemonguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ImagePatternTest {

  @ParameterizedTest(name = "{1} matches {0}: {2}")
  @CsvSource({
      "nginx,                        nginx,                 true",
      "nginx:1.27,                   nginx,                 false",
      "nginx:1.27,                   nginx:*,               true",
      "nginx,                        nginx*,                true",
      "nginx,                        *nginx*,               true",
      "quay.io/x/nginx:1,            *nginx*,               true",
      "quay.io/x/nginx:1,            *,                     true",
      "quay.io/a/b/c:1,              quay.io/*/c:*,         true",
      "quay.io/a/b/d:1,              quay.io/*/c:*,         false",
      "quayXio/a:1,                  quay.io/*,             false",
      "ghcr.io/(x)/y:1,              ghcr.io/(x)/*,         true",
      "ghcr.io/x/y:1,                ghcr.io/(x)/*,         false",
      "NGINX,                        nginx,                 false",
  })
  void globs(String image, String glob, boolean matches) {
    assertThat(ImagePattern.of(glob).matches(image)).isEqualTo(matches);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\t"})
  void emptyPatternsAreRefused(String glob) {
    assertThatThrownBy(() -> ImagePattern.of(glob))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }
}
