package dev.bulkoffboarding.quipteams;

import java.net.URI;

import dev.bulkoffboarding.support.FakeApiKeys;
import org.junit.jupiter.api.Test;

import static dev.bulkoffboarding.quipteams.TestProperties.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SecretMaskingTests {

    @Test
    void apiKeyShowsOnlyItsDocumentedPrefix() {
        // given
        ApiKey key = ApiKey.of(SECRET_KEY);

        // when
        String printed = key.toString();

        // then
        assertThat(printed).isEqualTo("qk_live_****");
        assertThat(key.bearerValue()).isEqualTo("Bearer " + SECRET_KEY);
    }

    @Test
    void apiKeyOfAnUnknownFormatShowsOnlyStars() {
        // given
        ApiKey key = ApiKey.of("  sandbox-key-without-prefix ");

        // when
        String printed = key.toString();

        // then
        assertThat(printed).isEqualTo("****");
        assertThat(key.bearerValue()).isEqualTo("Bearer sandbox-key-without-prefix");
    }

    @Test
    void endpointAndPropertiesDoNotPrintTheKey() {
        // given
        ApiEndpoint endpoint = new ApiEndpoint(URI.create("https://api.quipteams.com"), ApiKey.of(SECRET_KEY));
        QuipteamsProperties properties = TestProperties.fast().build();

        // when
        String printed = endpoint + " " + properties;

        // then
        assertThat(printed).doesNotContain(SECRET_KEY)
            .doesNotContain(SECRET_KEY.substring(FakeApiKeys.PREFIX.length()))
            .contains("qk_live_****");
    }

    @Test
    void blankKeyIsRefusedWithAMessageThatNamesTheSetting() {
        // when / then
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKey.of("  "))
                .withMessageContaining("QUIPTEAMS_API_KEY");
    }

}
