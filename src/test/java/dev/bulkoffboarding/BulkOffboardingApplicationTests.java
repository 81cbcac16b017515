package dev.bulkoffboarding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BulkOffboardingApplicationTests {

    @Test
    void serveStartsTheWebServer() {
        assertThat(BulkOffboardingApplication.serves(new String[] { "serve" })).isTrue();
        assertThat(BulkOffboardingApplication.serves(new String[] { "--server.port=9090", "serve" })).isTrue();
    }

    @Test
    void otherCommandsStayWithoutAWebServer() {
        assertThat(BulkOffboardingApplication.serves(new String[] { "run", "serve" })).isFalse();
        assertThat(BulkOffboardingApplication.serves(new String[] { "runs" })).isFalse();
        assertThat(BulkOffboardingApplication.serves(new String[0])).isFalse();
    }

    @Test
    void serveHelpAndPasswordHashingDoNotServe() {
        assertThat(BulkOffboardingApplication.serves(new String[] { "serve", "--help" })).isFalse();
        assertThat(BulkOffboardingApplication.serves(new String[] { "serve", "--hash-password" })).isFalse();
    }

    @Test
    void theWebServerIsSwitchedOnByACommandLineProperty() {
        assertThat(BulkOffboardingApplication.withWebServer(new String[] { "serve" }))
            .containsExactly("--spring.main.web-application-type=servlet", "serve");
    }

}
