# daemonguard container image.
#
# Build after `./mvnw -B package` has produced target/daemonguard.jar:
#   docker build -t daemonguard:0.1.0 .
# Any base image with a Java 17+ runtime and `java` on PATH works, e.g. an
# offline Debian base:
#   docker build --build-arg BASE_IMAGE=daemonguard-base:bookworm-jre17 -t daemonguard:0.1.0 .
#
# No "# syntax=" line and no BuildKit-only flags on purpose: the build must
# work offline and with the classic builder.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="daemonguard" \
      org.opencontainers.image.description="Kubernetes admission webhook and node posture scanner that protects the container daemon"

WORKDIR /app
COPY target/daemonguard.jar /app/daemonguard.jar

# Numeric, non-root user: the base may have no passwd entry and no useradd,
# and Kubernetes' runAsNonRoot can only verify a numeric USER.
USER 65532:65532

EXPOSE 8443

# The JVM is sized from the container's memory limit (60% heap leaves room for
# metaspace, code cache, thread stacks and Netty's direct buffers within the
# limit), uses the serial collector (small heap, 1-2 cores, fastest start), and
# exits on OutOfMemoryError so that the kubelet restarts it rather than leaving
# a half-dead webhook. Everything the JVM and Vert.x write goes under /tmp, so
# the root filesystem can be read-only (the Helm chart mounts an emptyDir there).
# To change these flags in Kubernetes, set the chart's `webhook.jvmOptions`, which
# replaces this ENTRYPOINT's flags.
ENTRYPOINT ["java", \
  "-XX:MaxRAMPercentage=60", \
  "-XX:InitialRAMPercentage=10", \
  "-XX:+UseSerialGC", \
  "-XX:+ExitOnOutOfMemoryError", \
  "-Djava.io.tmpdir=/tmp", \
  "-Dvertx.cacheDirBase=/tmp/vertx-cache", \
  "-Dvertx.disableFileCPResolving=true", \
  "-jar", "/app/daemonguard.jar"]

CMD ["webhook", "--port", "8443", \
     "--tls-cert", "/etc/daemonguard/tls/tls.crt", \
     "--tls-key", "/etc/daemonguard/tls/tls.key"]
