# The kubeai image: one process, run as `kubeai controller` (with the extender) or `kubeai webhook`
# by the Helm chart in charts/kubeai.
#
# Build the fat jar first, then the image, from the repository root:
#   ./mvnw -q -B -pl cli -am package -DskipTests     # writes cli/target/kubeai.jar
#   docker build -t registry.example.com/kubeai:0.1.0 .
FROM eclipse-temurin:17-jre

# A fixed numeric user, so that Kubernetes' runAsNonRoot can check it (the chart runs uid 65532).
RUN groupadd --system --gid 65532 kubeai \
 && useradd --system --uid 65532 --gid kubeai --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin kubeai

COPY cli/target/kubeai.jar /opt/kubeai/kubeai.jar

USER 65532:65532
WORKDIR /tmp
# The JVM sizes its heap from the container's memory limit; the chart overrides these with
# JAVA_TOOL_OPTIONS.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/kubeai/kubeai.jar"]
CMD ["--help"]
