package dev.bulkoffboarding.job;

import dev.bulkoffboarding.quipteams.SystemicFailureException;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

class SubmitWriterTests {

    @Test
    void aSystemicFailureStopsTheRunAlone() {
        SystemicFailureException failure = new SystemicFailureException("API key rejected (401 UNAUTHORIZED)");

        assertThat(SubmitWriter.systemicFailure(failure)).isSameAs(failure);
    }

    @Test
    void twoSystemicFailuresAtOnceStopTheRunTheSameWay() {
        // given: what flatMap reports when two requests in flight meet a 401 at the same moment
        SystemicFailureException first = new SystemicFailureException("API key rejected (401 UNAUTHORIZED)");
        RuntimeException both = Exceptions.multiple(first,
                new SystemicFailureException("API key rejected (401 UNAUTHORIZED)"));

        // then
        assertThat(SubmitWriter.systemicFailure(both)).isSameAs(first);
    }

    @Test
    void concurrentFailuresInFlatMapAreFoundWhateverTheirTiming() {
        // given: many inner sends failing at once on parallel threads, as the writer runs them
        for (int attempt = 0; attempt < 50; attempt++) {
            RuntimeException thrown = catchRuntimeException(() -> Flux.range(0, 16)
                .flatMap((i) -> Mono.<Integer>error(new SystemicFailureException("API key rejected"))
                    .subscribeOn(Schedulers.parallel()), 16)
                .blockLast());

            // then
            assertThat(SubmitWriter.systemicFailure(thrown)).isNotNull();
        }
    }

    @Test
    void anythingElseIsNotSystemic() {
        assertThat(SubmitWriter.systemicFailure(new IllegalStateException("a bug"))).isNull();
        assertThat(SubmitWriter.systemicFailure(
                Exceptions.multiple(new IllegalStateException("a"), new IllegalArgumentException("b")))).isNull();
    }

}
