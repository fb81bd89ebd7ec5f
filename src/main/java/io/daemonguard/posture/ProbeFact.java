package io.daemonguard.posture;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What answered a harmless request to a local TCP listener ({@code --probe}): over plain HTTP, and over TLS without
 * a client certificate. {@code plainHttp} true means the API answered anyone; {@code tlsWithoutClientCert} true means
 * TLS is on but any client is let in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeFact(
    String target, int port, String owner, Boolean plainHttp, String plainAnswer, Boolean tlsWithoutClientCert,
    String tlsAnswer, Boolean http2) {}
