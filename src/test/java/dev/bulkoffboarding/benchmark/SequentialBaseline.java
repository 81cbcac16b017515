package dev.bulkoffboarding.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a user would script without this tool: one POST after another with a plain
 * {@link HttpClient}, waiting for each answer, honouring {@code Retry-After} on a 429. It runs
 * for at most {@code maxRows} rows or {@code maxTime}, whichever ends first; a sequential client's
 * rate does not change over a run, so the time for every row is projected from the measured rate.
 */
final class SequentialBaseline {

    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private final URI endpoint;

    private final String apiKey;

    SequentialBaseline(URI baseUri, String apiKey) {
        this.endpoint = baseUri.resolve("/api/v1/device-actions");
        this.apiKey = apiKey;
    }

    /** The figures of one baseline run. */
    record Result(int rowsSent, int created, int rateLimited, double seconds) {

        double rowsPerSecond() {
            return (this.seconds > 0) ? this.rowsSent / this.seconds : 0;
        }

        double projectedSeconds(int rows) {
            return (rowsPerSecond() > 0) ? rows / rowsPerSecond() : Double.NaN;
        }

    }

    Result run(RowsFile rows, int maxRows, Duration maxTime) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + maxTime.toNanos();
        int sent = 0;
        int created = 0;
        int rateLimited = 0;
        for (int i = 0; i < maxRows && System.nanoTime() < deadline; i++) {
            if (!rows.valid(i)) {
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(this.endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + this.apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rows.jsonBody(i)))
                .build();
            HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
            while (response.statusCode() == 429) {
                rateLimited++;
                long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(wait * 1000);
                response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            sent++;
            if (response.statusCode() == 201) {
                created++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(sent, created, rateLimited, seconds);
    }

}
