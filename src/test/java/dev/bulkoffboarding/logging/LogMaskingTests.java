package dev.bulkoffboarding.logging;

import dev.bulkoffboarding.support.FakeApiKeys;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LogMaskingTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Authorization: Bearer {live key} | Authorization: Bearer ****",
            "key={live key}, next | key=qk_live_****, next",
            "key=qk_test_abc_DEF_123 | key=qk_test_****",
            "headers={Authorization=[bearer abc.def-ghi]} | headers={Authorization=[bearer ****]}",
            "already masked: qk_live_**** | already masked: qk_live_****",
            "{\"id\":\"wh-1\",\"secret\": \"9f86d081884c7d659a2feaa0c55ad015\"} | {\"id\":\"wh-1\",\"secret\": \"****\"}" })
    void masksApiKeysAndBearerTokensAlways(String template, String expected) {
        // given
        String line = template.replace("{live key}", FakeApiKeys.live());

        // when
        String withPersonalData = LogMasking.mask(line, false);
        String masked = LogMasking.mask(line, true);

        // then
        assertThat(withPersonalData).isEqualTo(expected);
        assertThat(masked).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sent for john.doe@northwind.example | sent for j***@northwind.example",
            "{\"email\":\"maria.garcia@northwind.example\"} | {\"email\":\"m***@northwind.example\"}",
            "it@acme.com; hr@acme.com | i***@acme.com; h***@acme.com",
            "josé.núñez@empresa.es | j***@empresa.es",
            "a@b.co | a***@b.co" })
    void masksEmailAddressesKeepingTheirDomain(String line, String expected) {
        assertThat(LogMasking.mask(line, true)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"phone\":\"+1-555-0100\" | \"phone\":\"***-**00\"",
            "phone +34 600 123 456 | phone ***-**56",
            "call +6561234567 now | call ***-**67 now",
            "(555) 123-4567 | ***-**67",
            "555-123-4567 | ***-**67",
            "07700 900123 | ***-**23",
            "030 1234 5678 | ***-**78" })
    void masksPhoneNumbers(String line, String expected) {
        assertThat(LogMasking.mask(line, true)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "21:38:06.799 INFO Run 12 of sample.csv: COMPLETED in 3.2 s",
            "started 2026-03-15T10:11:12.123Z, ended 2026-03-15 10:11:13", "on 15.03.2026",
            "action DA-2026-1234567 created", "id 550e8400-e29b-41d4-a716-446655440000",
            "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "X-RateLimit-Reset: 1767225600000", "the file has 2147483649 bytes", "line 1234567: too long",
            "http://127.0.0.1:40123/api/v1/device-actions", "server 192.168.100.200", "took 12345.678 ms",
            "ratio 0.123456789", "serial 1.23E+10", "Spring Boot 4.0.7, Batch 6.0.4" })
    void leavesDatesTimesIdsAndCountsAlone(String line) {
        assertThat(LogMasking.mask(line, true)).isEqualTo(line);
    }

    @Test
    void keepsPersonalDataWhenMaskingIsSwitchedOff() {
        // given
        String line = "john@acme.com +1-555-0100 " + FakeApiKeys.live();

        // when
        String masked = LogMasking.mask(line, false);

        // then
        assertThat(masked).isEqualTo("john@acme.com +1-555-0100 qk_live_****");
    }

    @Test
    void theLayoutMasksMessagesAndStackTraces() {
        // given
        String key = FakeApiKeys.live();
        LoggerContext context = new LoggerContext();
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(context);
        layout.setPattern("%-5level %msg%n%ex");
        layout.start();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.WARN,
                "sending for {} with Bearer {}", new IllegalStateException("bad phone +44 7700 900123 of ann@acme.com"),
                new Object[] { "john@acme.com", key });

        // when
        String line = layout.doLayout(event);

        // then
        assertThat(line).startsWith("WARN  sending for j***@acme.com with Bearer ****")
            .contains("IllegalStateException: bad phone ***-**23 of a***@acme.com")
            .doesNotContain(key.substring(FakeApiKeys.PREFIX.length()))
            .doesNotContain("john@")
            .doesNotContain("7700");
    }

    @Test
    void theLayoutCanLeavePersonalDataForDebugging() {
        // given
        LoggerContext context = new LoggerContext();
        MaskingPatternLayout layout = new MaskingPatternLayout();
        layout.setContext(context);
        layout.setPattern("%msg");
        layout.setMaskPersonalData(false);
        layout.start();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.INFO,
                "john@acme.com qk_test_SECRET123", null, null);

        // when
        String line = layout.doLayout(event);

        // then
        assertThat(line).isEqualTo("john@acme.com qk_test_****");
    }

}
