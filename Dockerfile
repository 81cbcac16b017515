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
WORKDIR /app
COPY --from=build /src/target/bulk-offboarding.jar /app/bulk-offboarding.jar
USER offboarding
ENTRYPOINT ["java", "-jar", "/app/bulk-offboarding.jar"]
CMD ["--help"]
