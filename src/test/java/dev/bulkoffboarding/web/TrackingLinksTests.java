package dev.bulkoffboarding.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrackingLinksTests {

    @Test
    void acceptsAbsoluteHttpAndHttpsAddresses() {
        assertThat(TrackingLinks.safe("https://track.example.com/1Z999?lang=en")).contains(
                "https://track.example.com/1Z999?lang=en");
        assertThat(TrackingLinks.safe(" HTTP://track.example.com/x ")).contains("HTTP://track.example.com/x");
    }

    @Test
    void refusesEverythingThatIsNotAWebAddress() {
        assertThat(TrackingLinks.safe("javascript:alert(1)")).isEmpty();
        assertThat(TrackingLinks.safe("JavaScript://track.example.com/%0Aalert(1)")).isEmpty();
        assertThat(TrackingLinks.safe("data:text/html,<script>alert(1)</script>")).isEmpty();
        assertThat(TrackingLinks.safe("//track.example.com/1Z999")).isEmpty();
        assertThat(TrackingLinks.safe("/1Z999")).isEmpty();
        assertThat(TrackingLinks.safe("https://track.example.com/?q=\"><script>")).isEmpty();
        assertThat(TrackingLinks.safe("https://user:pw@track.example.com/")).isEmpty();
        assertThat(TrackingLinks.safe("1Z999AA1")).isEmpty();
        assertThat(TrackingLinks.safe("")).isEmpty();
        assertThat(TrackingLinks.safe(null)).isEmpty();
    }

}
