package dev.bulkoffboarding.mail;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackingRefreshed;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stalled-actions digest in serve, against an in-process SMTP server: one mail per refresh that
 * finds stalled actions, listing each (never one mail per action), none when nothing is stalled,
 * and no personal data beyond serial numbers.
 */
@SpringBootTest(properties = { "spring.main.web-application-type=servlet", "quipteams.api-key=",
        "offboarding.mail.to=it-team@example.com", "offboarding.mail.base-url=https://offboarding.example.com",
        "spring.mail.host=127.0.0.1" })
@ActiveProfiles("test")
class StalledDigestIntegrationTests {

    static final GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    @Autowired
    ApplicationEventPublisher events;

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        smtp.start();
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
    }

    @AfterAll
    static void stop() {
        smtp.stop();
    }

    @BeforeEach
    void noMailYet() throws Exception {
        smtp.purgeEmailFromAllMailboxes();
    }

    @Test
    void oneMailPerRefreshListsEveryStalledAction() throws Exception {
        // given: a refresh of two runs that found three stalled actions
        List<TrackedAction> stalled = List.of(stalled(7, 12, "C02STALLED12", "DA-2026-0012", "In Transit", 9),
                stalled(7, 30, "C02STALLED30", "DA-2026-0030", "In Progress", 12),
                stalled(8, 2, "=cmd|' /C calc'!A0", "DA-2026-0102", "Awaiting\npickup", 8));

        // when
        this.events.publishEvent(new TrackingRefreshed(List.of(7L, 8L), stalled, this.now, true));

        // then: one mail, oldest first, each action by run, line, serial, action id, status and since when
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getSubject())
            .isEqualTo("[bulk-offboarding] 3 device actions stalled at Quipteams (no change for 7 days)");
        String body = GreenMailUtil.getBody(mails[0]).replace("\r\n", "\n");
        List<String> lines = body.lines().filter((line) -> line.matches("^\\d+ +\\d+ .*")).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("7").contains("30", "C02STALLED30", "DA-2026-0030", "In Progress",
                since(12));
        assertThat(lines.get(1)).contains("C02STALLED12", "DA-2026-0012", "In Transit", since(9));
        // vendor text stays on its line
        assertThat(lines.get(2)).startsWith("8").contains("DA-2026-0102", "Awaiting pickup");
        assertThat(body).contains("https://offboarding.example.com/runs/7?stalled=true",
                "https://offboarding.example.com/runs/8?stalled=true");
        assertThat(body).doesNotContain("@").doesNotContain("Jane");
    }

    @Test
    void noMailWhenNothingIsStalled() throws Exception {
        // when: a refresh that found every action moving or finished
        this.events.publishEvent(new TrackingRefreshed(List.of(7L), List.of(), this.now, true));
        // and then one that found one stalled
        this.events.publishEvent(new TrackingRefreshed(List.of(7L), List.of(
                stalled(7, 12, "C02STALLED12", "DA-2026-0012", "In Transit", 9)), this.now, false));

        // then: only the second refresh was mailed
        assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(smtp.getReceivedMessages()).extracting(MimeMessage::getSubject)
            .containsExactly("[bulk-offboarding] 1 device action stalled at Quipteams (no change for 7 days)");
    }

    private String since(int daysAgo) {
        return this.now.minus(Duration.ofDays(daysAgo)).toString().substring(0, 16).replace('T', ' ') + " UTC";
    }

    private TrackedAction stalled(long runId, long line, String serial, String actionId, String status, int daysAgo) {
        Instant updated = this.now.minus(Duration.ofDays(daysAgo));
        return new TrackedAction(runId, line, serial, "Retrieval", actionId, "uuid-" + runId + "-" + line, true,
                updated.minus(Duration.ofHours(1)), updated, status, Map.of(status, updated), null, null, false,
                updated, updated, this.now);
    }

}
