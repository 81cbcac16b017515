package dev.bulkoffboarding.quipteams;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.bulkoffboarding.quipteams.TestProperties.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a preflight asks the vendor, and what it costs, against the sandbox: every request is
 * counted by the vendor's own request log, not by the client.
 */
class InventoryLookupTests {

    private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

    private final SandboxServer vendor = SandboxServer
        .start(SandboxProperties.defaults().withLatency(Duration.ZERO).withRequestsPerMinute(0));

    private DeviceActionClient client;

    @AfterEach
    void close() {
        if (this.client != null) {
            this.client.close();
        }
        this.vendor.close();
    }

    @Test
    void checksTwoThousandDevicesOfAnInventoryOfTenThousandInAtMost150Requests() {
        // given: 10,000 devices (half in use), 300 actions; a file of 2,000 devices, ten not in the inventory
        for (int i = 0; i < 10_000; i++) {
            this.vendor.addDevice(serial(i), (i % 2 == 0) ? "in_use" : "in_storage", (i % 2 == 0) ? "Person " + i : null);
        }
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 300; i++) {
            this.vendor.seedAction(action(serial(i * 7), "Retrieval"), at.plusSeconds(i));
        }
        List<String> file = new ArrayList<>();
        for (int i = 0; i < 1_990; i++) {
            file.add(serial(i * 5));
        }
        for (int i = 0; i < 10; i++) {
            file.add("NOT-IN-INVENTORY-" + i);
        }

        // when
        InventoryLookup.Facts facts = lookup().lookUp(file, LONG_AGO);

        // then: 100 pages of assets and 3 of actions, every one a GET the vendor counted
        List<SandboxServer.LoggedRequest> requests = this.vendor.requests();
        assertThat(requests).allMatch((request) -> request.method().equals("GET"));
        assertThat(requests).hasSize(facts.requests());
        assertThat(facts.requests()).isLessThanOrEqualTo(150).isEqualTo(103);
        assertThat(facts.assetStrategy()).isEqualTo(InventoryLookup.Strategy.PAGED);
        assertThat(facts.actionStrategy()).isEqualTo(InventoryLookup.Strategy.PAGED);
        assertThat(file.subList(0, 1_990)).allMatch((serial) -> facts.assetsOf(serial).size() == 1);
        assertThat(file.subList(1_990, 2_000)).allMatch((serial) -> facts.assetsOf(serial).isEmpty());
        assertThat(facts.assetsOf(serial(0)).get(0)).isEqualTo(new InventoryLookup.Asset(serial(0), "in_use", "Person 0"));
        assertThat(facts.assetsOf(serial(5)).get(0)).isEqualTo(new InventoryLookup.Asset(serial(5), "in_storage", null));
        assertThat(facts.actionsOf(serial(35))).hasSize(1);
        assertThat(facts.actionsOf(serial(7))).isEmpty();
    }

    @Test
    void asksForEveryStatusSinceTheInventoryListsOnlyDevicesInStorageByDefault() {
        // given: a device in use
        this.vendor.addDevice("C02INUSE", "in_use", "Ada Lovelace");

        // when
        InventoryLookup.Facts facts = lookup().lookUp(List.of("C02INUSE"), LONG_AGO);

        // then
        assertThat(facts.assetsOf("c02inuse ")).containsExactly(new InventoryLookup.Asset("C02INUSE", "in_use",
                "Ada Lovelace"));
        assertThat(this.vendor.requests()).filteredOn((r) -> r.pathAndQuery().startsWith("/api/v1/assets"))
            .allMatch((r) -> r.pathAndQuery().contains("status=all"));
    }

    @Test
    void aFewDevicesInALongInventoryAreLookedUpOneByOneAfterAsManyPages() {
        // given: 1,000 devices, 250 actions of which one is for C02X1; a file of two devices, C02X being one
        for (int i = 0; i < 1_000; i++) {
            this.vendor.addDevice(serial(i), "in_use", null);
        }
        this.vendor.addDevice("C02X", "in_use", null);
        this.vendor.addDevice("C02X1", "in_use", null);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        this.vendor.seedAction(action("C02X1", "Retrieval"), at);
        for (int i = 1; i <= 250; i++) {
            this.vendor.seedAction(action(serial(i), "Store"), at.plusSeconds(i));
        }

        // when
        InventoryLookup.Facts facts = lookup().lookUp(List.of("C02X", serial(999_999)), LONG_AGO);

        // then: two pages, then one lookup per device, for each list: never more than twice the cheaper way
        assertThat(facts.assetStrategy()).isEqualTo(InventoryLookup.Strategy.PAGED_THEN_PER_SERIAL);
        assertThat(facts.actionStrategy()).isEqualTo(InventoryLookup.Strategy.PAGED_THEN_PER_SERIAL);
        assertThat(facts.requests()).isEqualTo(8).isEqualTo(this.vendor.requests().size());
        assertThat(facts.assetsOf("C02X")).extracting(InventoryLookup.Asset::serialNumber).containsExactly("C02X");
        assertThat(facts.assetsOf(serial(999_999))).isEmpty();
        // the vendor's serial filter is partial: C02X finds C02X1's action, which is not C02X's
        assertThat(this.vendor.requests()).anyMatch((r) -> r.pathAndQuery().startsWith("/api/v1/device-actions?")
                && r.pathAndQuery().contains("serial_number=C02X&"));
        assertThat(facts.actionsOf("C02X")).isEmpty();
    }

    @Test
    void anHtmlPageIsNotAnEmptyInventory() throws IOException {
        // given: something that is not Quipteams answers 200 with a page
        try (MockWebServer proxy = new MockWebServer()) {
            proxy.start();
            proxy.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body>OK</body></html>")
                .build());
            DeviceActionClient other = client(proxy.url("/").uri());
            try {
                // when / then: an error naming the answer, never "no device is in the inventory"
                assertThatThrownBy(() -> new InventoryLookup(other, 1, 0, Duration.ofMillis(1),
                        java.time.Clock.systemUTC()).lookUp(List.of("C02X"), LONG_AGO))
                    .isInstanceOf(QuipteamsCallException.class)
                    .hasMessageContaining("text/html")
                    .hasMessageContaining("check quipteams.base-url")
                    .hasMessageNotContaining(SECRET_KEY);
                assertThat(proxy.getRequestCount()).isEqualTo(1);
            }
            finally {
                other.close();
            }
        }
    }

    @Test
    void aRejectedKeyIsSystemic() {
        // given
        this.vendor.revokeKey(SECRET_KEY);

        // when / then
        assertThatThrownBy(() -> lookup().lookUp(List.of("C02X"), LONG_AGO))
            .isInstanceOf(SystemicFailureException.class);
    }

    private InventoryLookup lookup() {
        this.client = client(this.vendor.baseUri());
        return new InventoryLookup(this.client, 4, 2, Duration.ofMillis(1), java.time.Clock.systemUTC());
    }

    private static DeviceActionClient client(java.net.URI baseUrl) {
        QuipteamsProperties properties = TestProperties.fast().baseUrl(baseUrl).build();
        return new DeviceActionClient(WebClient.builder(), new ApiEndpoint(baseUrl, ApiKey.of(SECRET_KEY)), properties,
                new RequestPacer(properties));
    }

    private static String serial(int i) {
        return String.format(Locale.ROOT, "SN%06d", i);
    }

    private static String action(String serial, String type) {
        return "{\"action_type\":\"" + type + "\",\"serial_number\":\"" + serial + "\",\"current_user\":"
                + "{\"name\":\"Someone\",\"email\":\"someone@acme.com\"}}";
    }

}
