package dev.bulkoffboarding.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Losing a run's lock on H2: its lock file is deleted under the running process. */
class RunOwnershipOnH2IntegrationTests extends RunOwnershipIntegrationTests {

    @Autowired
    RunLocks locks;

    @Override
    void loseTheRunLock() {
        Path directory = ((RunLocks.FileLocks) this.locks).directory();
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> deleted = files.filter((file) -> file.toString().endsWith(".lock")).toList();
            for (Path file : deleted) {
                Files.delete(file);
            }
            assertThat(deleted).isNotEmpty();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
