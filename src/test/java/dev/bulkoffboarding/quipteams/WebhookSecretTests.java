package dev.bulkoffboarding.quipteams;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class WebhookSecretTests {

    static final String VALUE = "3b7a1c9e5d2f4a6b8c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";

    static final byte[] BODY = "{\"id\":\"evt_1\",\"type\":\"logistics.completed\"}".getBytes(StandardCharsets.UTF_8);

    final WebhookSecret secret = WebhookSecret.of(VALUE);

    @Test
    void acceptsTheHmacSha256OfTheRawBodyKeyedWithTheSecret() throws Exception {
        // given: the signature computed independently
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(VALUE.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String hex = HexFormat.of().formatHex(mac.doFinal(BODY));

        // then
        assertThat(this.secret.signed(BODY, "sha256=" + hex)).isTrue();
        assertThat(this.secret.signed(BODY, "SHA256=" + hex.toUpperCase())).isTrue();
        assertThat(this.secret.signature(BODY)).isEqualTo("sha256=" + hex);
    }

    @Test
    void refusesEverythingElse() {
        String good = this.secret.signature(BODY);
        byte[] otherBody = "{\"id\":\"evt_2\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(this.secret.signed(otherBody, good)).isFalse();
        assertThat(WebhookSecret.of("another").signed(BODY, good)).isFalse();
        assertThat(this.secret.signed(BODY, null)).isFalse();
        assertThat(this.secret.signed(BODY, "")).isFalse();
        assertThat(this.secret.signed(BODY, good.substring("sha256=".length()))).isFalse();
        assertThat(this.secret.signed(BODY, good.replace("sha256=", "sha1="))).isFalse();
        assertThat(this.secret.signed(BODY, good.substring(0, good.length() - 2))).isFalse();
        assertThat(this.secret.signed(BODY, good.substring(0, good.length() - 2) + "zz")).isFalse();
    }

    @Test
    void neverShowsItself() {
        assertThat(this.secret.toString()).isEqualTo("****");
        assertThat(new WebhookClient.Registered(null, this.secret).toString()).doesNotContain(VALUE);
        assertThatIllegalArgumentException().isThrownBy(() -> WebhookSecret.of(" "))
            .withMessage("The webhook secret is blank");
    }

}
