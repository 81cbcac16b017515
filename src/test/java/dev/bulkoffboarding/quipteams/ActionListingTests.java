package dev.bulkoffboarding.quipteams;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static dev.bulkoffboarding.quipteams.TestProperties.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Listing for tracking: the documented query, every page by its cursor, and the answers that must
 * not read as "nothing changed" (an HTML page, a cursor that comes back, a rejected key).
 */
class ActionListingTests {

    private static final Instant SINCE = Instant.parse("2026-03-07T10:00:00Z");

    private final MockWebServer server = new MockWebServer();

    private DeviceActionClient client;

    private ActionListing listing;

    @BeforeEach
    void start() throws IOException {
        server.start();
        QuipteamsProperties properties = TestProperties.fast().baseUrl(server.url("/").uri()).build();
        client = new DeviceActionClient(WebClient.builder(), new ApiEndpoint(properties.baseUrl(),
                ApiKey.of(SECRET_KEY)), properties, new RequestPacer(properties));
        listing = new ActionListing(client, Clock.systemUTC(), Duration.ofMillis(1));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void readsEveryPageByItsCursorWithTheDocumentedQuery() throws InterruptedException {
        // given
        server.enqueue(page(true, "c/2+", item("da-1", "In Progress"), item("da-2", "Shipped")));
        server.enqueue(page(false, null, item("da-3", "Completed"), "{\"action_id\": \"no id\"}"));
        List<VendorState> seen = new ArrayList<>();

        // when
        ActionListing.Listed listed = listing.forEachCreatedAfter(SINCE, seen::addAll);

        // then
        assertThat(listed).isEqualTo(new ActionListing.Listed(2, 3));
        assertThat(seen).extracting(VendorState::vendorId).containsExactly("da-1", "da-2", "da-3");
        assertThat(seen.get(1).trackingCode()).isEqualTo("SBX1");
        assertThat(seen.get(2).updatedAt()).isEqualTo(Instant.parse("2026-03-07T11:00:00Z"));
        RecordedRequest first = server.takeRequest();
        assertThat(first.getUrl().queryParameter("created_after")).isEqualTo("2026-03-07T10:00:00.000Z");
        assertThat(first.getUrl().queryParameter("limit")).isEqualTo("100");
        assertThat(first.getUrl().queryParameter("cursor")).isNull();
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET_KEY);
        assertThat(server.takeRequest().getUrl().queryParameter("cursor")).isEqualTo("c/2+");
    }

    @Test
    void aCursorThatComesBackStopsTheListingWithAnError() {
        // given: the vendor sends the first page's cursor again and again
        server.enqueue(page(true, "c1", item("da-1", "In Progress")));
        server.enqueue(page(true, "c2", item("da-2", "In Progress")));
        server.enqueue(page(true, "c1", item("da-1", "In Progress")));

        // when / then
        assertThatThrownBy(() -> listing.forEachCreatedAfter(SINCE, (page) -> {
        })).isInstanceOf(QuipteamsCallException.class).hasMessageContaining("does not move forward");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void hasMoreWithoutACursorIsAnError() {
        server.enqueue(page(true, null, item("da-1", "In Progress")));

        assertThatThrownBy(() -> listing.forEachCreatedAfter(SINCE, (page) -> {
        })).isInstanceOf(QuipteamsCallException.class).hasMessageContaining("no next_cursor");
    }

    @Test
    void anHtmlPageIsAnErrorNamingTheAddressNotAnEmptyList() {
        // given: a proxy's maintenance page, with 200
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
            .body("<html>maintenance</html>").build());

        // when / then: not retried, and said plainly
        assertThatThrownBy(() -> listing.forEachCreatedAfter(SINCE, (page) -> {
        })).isInstanceOf(QuipteamsCallException.class)
            .hasMessageContaining("answered the device-action list with an HTML page")
            .hasMessageContaining("check quipteams.base-url");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRejectedKeyIsSystemicAndNeverEchoed() {
        server.enqueue(ScriptedVendor.json(401, "{\"error\": {\"code\": \"UNAUTHORIZED\", \"message\": \"no\"}}"));

        assertThatThrownBy(() -> listing.forEachCreatedAfter(SINCE, (page) -> {
        })).isInstanceOf(SystemicFailureException.class)
            .hasMessageContaining("API key rejected (HTTP 401)")
            .hasMessageNotContaining(SECRET_KEY);
    }

    @Test
    void aServerErrorOrA429IsAskedAgainAndThenTheListingGoesOn() {
        // given
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(ScriptedVendor.json(429, "{\"error\": {\"code\": \"RATE_LIMITED\", \"message\": \"wait\"}}")
            .newBuilder().addHeader("Retry-After", "0").build());
        server.enqueue(page(false, null, item("da-1", "In Progress")));
        List<VendorState> seen = new ArrayList<>();

        // when
        ActionListing.Listed listed = listing.forEachCreatedAfter(SINCE, seen::addAll);

        // then
        assertThat(listed.actions()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aServerThatKeepsFailingIsAnErrorAfterAFewAttempts() {
        for (int i = 0; i < 10; i++) {
            server.enqueue(new MockResponse.Builder().code(500).build());
        }

        assertThatThrownBy(() -> listing.forEachCreatedAfter(SINCE, (page) -> {
        })).isInstanceOf(QuipteamsCallException.class).hasMessageContaining("HTTP 500");
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    private static MockResponse page(boolean hasMore, String nextCursor, String... items) {
        return ScriptedVendor.json(200, "{\"data\": [" + String.join(",", items) + "], \"meta\": {\"has_more\": "
                + hasMore + ", \"next_cursor\": " + ((nextCursor == null) ? "null" : "\"" + nextCursor + "\"") + "}}");
    }

    private static String item(String id, String status) {
        String tracking = status.equals("In Progress") ? "null" : "\"SBX1\"";
        return "{\"id\": \"" + id + "\", \"action_id\": \"DA-" + id + "\", \"action_type\": \"Store\", \"status\": \""
                + status + "\", \"wipe\": true, \"wipe_completed\": " + status.equals("Completed")
                + ", \"tracking_code\": " + tracking + ", \"tracking_link\": null, "
                + "\"created_at\": \"2026-03-07T10:30:00.000Z\", \"updated_at\": \"2026-03-07T11:00:00.000Z\"}";
    }

}
