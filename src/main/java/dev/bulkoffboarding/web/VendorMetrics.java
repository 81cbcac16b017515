package dev.bulkoffboarding.web;

import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.quipteams.RequestPacer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * The request pacer's figures as metrics: 429 responses, time spent waiting for the token
 * bucket, the rate it paces at and the requests in flight. Requests by status and their latency
 * are Spring Boot's {@code http.client.requests}, observed on the vendor client's WebClient.
 */
@Component
@ConditionalOnWebApplication
class VendorMetrics implements MeterBinder {

    private final RequestPacer pacer;

    VendorMetrics(RequestPacer pacer) {
        this.pacer = pacer;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("quipteams.rate.limited", this.pacer, RequestPacer::rateLimitedResponses)
            .description("429 responses from Quipteams")
            .register(registry);
        FunctionCounter
            .builder("quipteams.bucket.wait", this.pacer,
                    (pacer) -> pacer.totalWaitTime().toNanos() / (double) TimeUnit.SECONDS.toNanos(1))
            .description("Time requests spent waiting for the rate budget, summed over requests")
            .baseUnit("seconds")
            .register(registry);
        Gauge.builder("quipteams.rate", this.pacer, RequestPacer::effectiveRatePerMinute)
            .description("Requests per minute the pacer allows now (configured, or lowered by the vendor)")
            .register(registry);
        Gauge.builder("quipteams.requests.in.flight", this.pacer, RequestPacer::inFlight)
            .description("Requests sent and not answered yet")
            .register(registry);
    }

}
