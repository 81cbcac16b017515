# Build: the Maven wrapper fetches Maven; tests run in CI, not in the image build.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -ntp -DskipTests package

# Run: a JRE, a user without privileges, data and reports in volumes.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app offboarding \
    && mkdir -p /app/data /app/reports /app/inbox \
    && chown -R offboarding /app
COPY --from=build /src/target/bulk-offboarding.jar /tmp/bulk-offboarding.jar
# Starts about twice as fast as 'java -jar': the jar extracted (Spring Boot's jarmode tools), and a
# class data sharing archive recorded by a training run in this image's JVM. The training run stops
# once the application has started (spring.context.exit=onRefresh): no command runs, nothing is
# sent, and its throwaway H2 database is removed. The application files belong to root.
RUN java -Djarmode=tools -jar /tmp/bulk-offboarding.jar extract --destination /opt/bulk-offboarding \
    && cd /tmp \
    && java -XX:ArchiveClassesAtExit=/opt/bulk-offboarding/application.jsa -Dspring.context.exit=onRefresh \
        -jar /opt/bulk-offboarding/bulk-offboarding.jar \
        --spring.datasource.url=jdbc:h2:file:/tmp/cds-training/db --offboarding.data-dir=/tmp/cds-training/data \
        --offboarding.reports-dir=/tmp/cds-training/reports --quipteams.api-key= \
    && rm -rf /tmp/cds-training /tmp/bulk-offboarding.jar
WORKDIR /app
USER offboarding
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/bulk-offboarding/application.jsa", "-jar", "/opt/bulk-offboarding/bulk-offboarding.jar"]
CMD ["--help"]
