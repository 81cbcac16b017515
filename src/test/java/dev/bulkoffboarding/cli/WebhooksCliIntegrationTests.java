package dev.bulkoffboarding.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.sandbox.WebhookDeliveries;
import dev.bulkoffboarding.support.FakeApiKeys;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code webhooks register} and {@code webhooks list} at the terminal: the vendor's webhook is
 * created with the documented body, its secret is kept in an owner-only file and appears nowhere in
 * the output or the log (debug logging included), and the list shows how deliveries went.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhooksCliIntegrationTests {

    @AutoClose
    final SandboxServer vendor = SandboxVendor.immediate();

    @TempDir
    Path dir;

    @Test
    void registerStoresTheSecretForTheApplicationAndNeverShowsIt(CapturedOutput output) throws Exception {
        // given
        Cli cli = new Cli(this.dir).vendor(this.vendor, FakeApiKeys.live())
            .with("--logging.level.dev.bulkoffboarding=DEBUG")
            .with("--logging.level.org.springframework.web.reactive=DEBUG");

        // when
        int registered = cli.run("webhooks", "register", "--url", "https://offboarding.example.test/webhooks/quipteams");

        // then: the vendor got the documented body
        assertThat(registered).isZero();
        List<WebhookDeliveries.Webhook> webhooks = this.vendor.webhooks().webhooks();
        assertThat(webhooks).hasSize(1);
        WebhookDeliveries.Webhook webhook = webhooks.get(0);
        assertThat(webhook.url()).isEqualTo("https://offboarding.example.test/webhooks/quipteams");
        assertThat(webhook.subscribed()).containsExactly("logistics.*");
        assertThat(this.vendor.requests()).filteredOn((request) -> request.method().equals("POST"))
            .singleElement()
            .satisfies((request) -> assertThat(JsonMapper.builder().build().readTree(request.body()).propertyNames())
                .containsExactlyInAnyOrder("url", "events", "description"));
        // the secret is in the application's file, readable by its owner only, and nowhere else
        Path secrets = cli.dataDir().resolve("webhook-secrets");
        assertThat(Files.readString(secrets)).contains(webhook.id() + "\t" + webhook.secret());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rw-------");
        assertThat(output).contains("Registered webhook " + webhook.id())
            .contains("signing secret is stored in " + secrets.toAbsolutePath())
            .doesNotContain(webhook.secret());

        // when: the list
        int listed = cli.run("webhooks", "list");

        // then
        assertThat(listed).isZero();
        assertThat(output).contains("Webhook " + webhook.id() + " -> https://offboarding.example.test/webhooks/quipteams")
            .contains("secret stored here")
            .contains("0 of 0 recent deliveries succeeded")
            .doesNotContain(webhook.secret());
    }

    @Test
    void listShowsHowRecentDeliveriesWent(CapturedOutput output) throws Exception {
        // given: a webhook whose receiver cannot be reached (nothing listens on port 9 here)
        Cli cli = new Cli(this.dir).vendor(this.vendor, FakeApiKeys.live());
        assertThat(cli.run("webhooks", "register", "--url", "https://127.0.0.1:9/webhooks/quipteams", "--event",
                "logistics.completed")).isZero();
        this.vendor.webhooks()
            .deliver("logistics.completed", JsonMapper.builder().build().readTree("{\"id\":\"da-1\"}"))
            .get(30, TimeUnit.SECONDS);

        // when
        int listed = cli.run("webhooks", "list");

        // then
        assertThat(listed).isZero();
        assertThat(output).contains("events: logistics.completed; active; secret stored here; 0 of 1 recent "
                + "deliveries succeeded")
            .containsPattern("logistics\\.completed\\s+failed\\s+3\\s+-");
    }

    @Test
    void registerRefusesAnAddressThatIsNotHttps(CapturedOutput output) {
        // given
        Cli cli = new Cli(this.dir).vendor(this.vendor, FakeApiKeys.live());

        // when
        int refused = cli.run("webhooks", "register", "--url", "http://offboarding.example.test/webhooks/quipteams");

        // then
        assertThat(refused).isEqualTo(2);
        assertThat(output).contains("--url must be an https:// address");
        assertThat(this.vendor.webhooks().webhooks()).isEmpty();
        assertThat(this.vendor.requests()).isEmpty();
    }

    @Test
    void aRejectedKeyIsSaidAndNothingIsStored(CapturedOutput output) {
        // given
        String key = FakeApiKeys.live();
        this.vendor.revokeKey(key);
        Cli cli = new Cli(this.dir).vendor(this.vendor, key);

        // when
        int failed = cli.run("webhooks", "register", "--url", "https://offboarding.example.test/webhooks/quipteams");

        // then
        assertThat(failed).isEqualTo(1);
        assertThat(output).contains("Registering the webhook failed: API key rejected (401 UNAUTHORIZED")
            .doesNotContain(key);
        assertThat(cli.dataDir().resolve("webhook-secrets")).doesNotExist();
    }

}
