package dev.bulkoffboarding.quipteams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.sandbox.SandboxServer.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pacer against the sandbox in its real-limit mode: a vendor whose headers advertise five
 * times the budget it really grants (a token bucket), as in issue 15 (2 requests per second behind
 * 600 per minute), scaled up fivefold so that a few hundred rows take seconds, not minutes. The
 * pace is learned from the 429s alone. Nothing here asserts time: counts, results and the order of
 * the vendor's request log.
 */
class PacingIntegrationTests {

    /** The vendor's real limit, per second; its headers advertise five times that. */
    private static final int REAL_PER_SECOND = 10;

    private static final int ADVERTISED_PER_MINUTE = REAL_PER_SECOND * 60 * 5;

    private static final Duration LATENCY = Duration.ofMillis(50);

    /**
     * A request whose bytes left just before we read a 429 may reach the sandbox's handler this
     * much later (a loaded machine schedules its threads late).
     */
    private static final Duration IN_FLIGHT_MARGIN = Duration.ofMillis(100);

    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    private final List<AutoCloseable> resources = new ArrayList<>();

    private SandboxServer vendor;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        if (vendor != null) {
            vendor.close();
        }
    }

    @Test
    void learnsABudgetTheHeadersDoNotTellAndKeeps429sUnderTenPercent() {
        // given
        vendor = SandboxServer.start(realLimitVendor());
        Stack stack = stack();

        // when
        List<SubmissionResult> results = stack.submitAll("one", 300);

        // then
        List<LoggedRequest> requests = vendor.requests();
        assertThat(results).hasSize(300).allSatisfy(result -> assertThat(result)
                .isInstanceOf(SubmissionResult.Created.class));
        assertThat(results).allSatisfy(result -> assertThat(((SubmissionResult.Created) result).attempts())
                .isEqualTo(1));
        assertThat(vendor.createdActions()).hasSize(300);
        assertThat(refused(requests)).isPositive();
        assertThat(refused(requests) * 10).isLessThan(requests.size());
        assertThat(stack.pacer.effectiveRatePerMinute()).isLessThan(ADVERTISED_PER_MINUTE);
        assertThat(stack.pacer.pauses).isNotEmpty();
        assertNothingArrivedDuringAPause(stack.pacer.pauses, requests);
    }

    @Test
    void twoPacersOnOneKeyWithReadsAmongTheirWritesKeep429sUnderTenPercent() {
        // given: two processes' worth of clients on one key, each also listing (as preflight and
        // tracking do) while it sends
        vendor = SandboxServer.start(realLimitVendor());
        Stack first = stack();
        Stack second = stack();

        // when
        List<List<SubmissionResult>> results = Flux.just(first, second)
                .flatMap(stack -> Mono.fromCallable(() -> stack.submitAllWithReads(stack == first ? "a" : "b", 150, 30))
                        .subscribeOn(Schedulers.boundedElastic()))
                .collectList()
                .block(TIMEOUT);

        // then
        List<LoggedRequest> requests = vendor.requests();
        assertThat(results).hasSize(2).allSatisfy(perStack -> assertThat(perStack).hasSize(150)
                .allSatisfy(result -> assertThat(result).isInstanceOf(SubmissionResult.Created.class)));
        assertThat(requests.stream().filter(request -> request.method().equals("GET")).count()).isEqualTo(60);
        assertThat(refused(requests) * 10).isLessThan(requests.size());
        assertThat(vendor.createdActions()).hasSize(300);
    }

    /** The sandbox in its real-limit mode; its Retry-After is then always at least a second. */
    private static SandboxProperties realLimitVendor() {
        return SandboxProperties.defaults()
                .withLatency(LATENCY)
                .withRequestsPerMinute(ADVERTISED_PER_MINUTE)
                .withRealLimit(REAL_PER_SECOND, REAL_PER_SECOND);
    }

    /**
     * No request reached the vendor while a pause was on: from the moment a 429 arrived (plus what
     * was already on its way) until its Retry-After. The sandbox's log and the pacer's record share
     * this JVM's clock.
     */
    private static void assertNothingArrivedDuringAPause(List<Pause> pauses, List<LoggedRequest> requests) {
        for (Pause pause : pauses) {
            Instant known = pause.seenAt().plus(IN_FLIGHT_MARGIN);
            assertThat(requests).filteredOn(request -> request.receivedAt().isAfter(known)
                    && request.receivedAt().isBefore(pause.until()))
                    .as("requests received during the pause from %s to %s", pause.seenAt(), pause.until())
                    .isEmpty();
        }
    }

    /** A 429 arrived at {@code seenAt}; every request was to wait until {@code until}. */
    private record Pause(Instant seenAt, Instant until) {
    }

    /** The production pacer, noting each pause a 429 began. */
    private static final class PauseRecordingPacer extends RequestPacer {

        final List<Pause> pauses = new CopyOnWriteArrayList<>();

        PauseRecordingPacer(QuipteamsProperties properties) {
            super(properties);
        }

        @Override
        void onRateLimited(Instant retryAt) {
            Instant seenAt = Instant.now();
            super.onRateLimited(retryAt);
            pauses.add(new Pause(seenAt, pausedUntil()));
        }

    }

    private static long refused(List<LoggedRequest> requests) {
        return requests.stream().filter(request -> request.status() == 429).count();
    }

    /** One process's client: production settings, no cap: the pace follows the vendor. */
    private Stack stack() {
        QuipteamsProperties properties = TestProperties.fast()
                .baseUrl(vendor.baseUri())
                .followTheVendor()
                .initialRequestsPerMinute(600)
                .maxInFlight(8)
                .maxAttempts(6)
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .maxRateLimitWait(Duration.ofSeconds(30))
                .build();
        PauseRecordingPacer pacer = new PauseRecordingPacer(properties);
        DeviceActionClient client = new DeviceActionClient(WebClient.builder(),
                new ApiEndpoint(vendor.baseUri(), ApiKey.of(SandboxServer.sandboxKey())), properties, pacer);
        resources.add(client);
        DeviceActionSubmitter submitter = new DeviceActionSubmitter(client, properties);
        submitter.startRun();
        return new Stack(pacer, client, submitter);
    }

    private record Stack(PauseRecordingPacer pacer, DeviceActionClient client, DeviceActionSubmitter submitter) {

        List<SubmissionResult> submitAll(String prefix, int rows) {
            return submitter.submitAll(submissions(prefix, rows))
                    .map(Map.Entry::getValue)
                    .collectList()
                    .block(TIMEOUT);
        }

        /** Sends the rows while listing {@code reads} times, one listing after each few rows. */
        List<SubmissionResult> submitAllWithReads(String prefix, int rows, int reads) {
            Mono<Long> listings = Flux.range(0, reads)
                    .concatMap(i -> client.findActions(prefix + "-SN-" + i, "Store", Instant.EPOCH)
                            .onErrorResume(QuipteamsCallException.class, error -> Mono.just(List.of())))
                    .count();
            Mono<List<SubmissionResult>> sent = submitter.submitAll(submissions(prefix, rows))
                    .map(Map.Entry::getValue)
                    .collectList();
            return Mono.zip(sent, listings).map(both -> both.getT1()).block(TIMEOUT);
        }

    }

    private static List<Submission> submissions(String prefix, int rows) {
        return IntStream.rangeClosed(1, rows)
                .mapToObj(line -> {
                    String serial = prefix + "-SN-" + line;
                    String body = "{\"action_type\":\"Store\",\"serial_number\":\"" + serial + "\","
                            + "\"current_user\":{\"name\":\"Jo Leaver\",\"email\":\"jo" + line + "@acme.test\"}}";
                    return Submission.firstAttempt("pacing-" + prefix + "-" + line, serial, "Store", body);
                })
                .toList();
    }

}
