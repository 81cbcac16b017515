package dev.bulkoffboarding.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class InboxReadinessTests {

    @TempDir
    Path inbox;

    @Test
    void withMarkersAFileIsCompleteOnlyOnceItsMarkerExists() throws IOException {
        // given
        Path marked = write("marked.csv");
        Files.createFile(this.inbox.resolve("marked.csv.done"));
        Path unmarked = write("unmarked.csv");

        // when
        InboxProcessor.Readiness readiness = InboxProcessor.byMarker(InboxFolder.csvFiles(this.inbox));

        // then
        assertThat(readiness.complete()).containsExactly(marked);
        assertThat(readiness.incomplete()).containsExactly(unmarked);
    }

    @Test
    void aFileThatStaysTheSameAcrossTwoChecksIsComplete() throws IOException {
        // given
        Path file = write("still.csv");

        // when
        InboxProcessor.Readiness readiness = InboxProcessor.byStability(List.of(file), properties());

        // then
        assertThat(readiness.complete()).containsExactly(file);
        assertThat(readiness.incomplete()).isEmpty();
    }

    @Test
    void aStopDuringTheWaitBetweenTheTwoChecksEndsItAndTakesNoFile() throws IOException {
        // given: an hour between the checks, and a stop that comes once the wait has begun
        Path file = write("still.csv");
        InboxProperties hourly = new InboxProperties(this.inbox, false, Duration.ofHours(1), Duration.ZERO);
        AtomicInteger looks = new AtomicInteger();

        // when: the bound is only there so that a wait that ignores the stop fails instead of hanging
        InboxProcessor.Readiness readiness = assertTimeoutPreemptively(Duration.ofMinutes(2),
                () -> InboxProcessor.byStability(List.of(file), hourly, () -> looks.incrementAndGet() > 3));

        // then: left for the next start
        assertThat(looks).hasValueGreaterThan(3);
        assertThat(readiness.complete()).isEmpty();
        assertThat(readiness.incomplete()).containsExactly(file);
    }

    @Test
    void onlyCsvFilesDirectlyInTheInboxCount() throws IOException {
        // given
        Path csv = write("export.CSV");
        write("notes.txt");
        write(".hidden.csv");
        Files.createDirectories(this.inbox.resolve("archive"));
        Files.writeString(this.inbox.resolve("archive").resolve("old.csv"), "x");

        // then
        assertThat(InboxFolder.csvFiles(this.inbox)).containsExactly(csv);
    }

    @Test
    void theInboxFoldersLieInsideIt() {
        InboxProperties properties = properties();

        assertThat(properties.archive()).isEqualTo(this.inbox.resolve("archive"));
        assertThat(properties.failed()).isEqualTo(this.inbox.resolve("failed"));
        assertThat(properties.processing()).isEqualTo(this.inbox.resolve("processing"));
    }

    @Test
    void aDashSwitchesTheScheduleOff() {
        assertThat(new ScheduleProperties("-", null, Duration.ofMinutes(10), Duration.ofMinutes(5)).enabled()).isFalse();
        assertThat(new ScheduleProperties("0 0 2 * * *", null, Duration.ofMinutes(10), Duration.ofMinutes(5)).enabled())
            .isTrue();
    }

    private InboxProperties properties() {
        return new InboxProperties(this.inbox, false, Duration.ofMillis(50), Duration.ZERO);
    }

    private Path write(String name) throws IOException {
        return Files.writeString(this.inbox.resolve(name), "serial_number,action_type\n");
    }

}
