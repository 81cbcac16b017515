package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class RunLocksTests {

    static final String RUN = "offboardingJob|abc|";

    @TempDir
    Path dir;

    @Test
    void keepsTheLocksOfAnH2FileDatabaseBesideItsFile() throws IOException {
        // when
        Optional<Path> folder = RunLocks
            .h2LockDirectory("jdbc:h2:file:./data/bulk-offboarding;AUTO_SERVER=TRUE;WRITE_DELAY=0");

        // then
        assertThat(folder).contains(Path.of("data").toAbsolutePath().getParent().toRealPath()
            .resolve("data").resolve("bulk-offboarding.locks"));
        assertThat(RunLocks.h2LockDirectory("jdbc:h2:~/offboarding"))
            .contains(Path.of(System.getProperty("user.home")).toRealPath().resolve("offboarding.locks"));
    }

    @Test
    void keepsTheLocksOfAnInMemoryOrRemoteDatabaseInTheDataDirectory() {
        // when / then
        assertThat(RunLocks.h2LockDirectory("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isEmpty();
        assertThat(RunLocks.h2LockDirectory("jdbc:h2:tcp://db.example.com/offboarding")).isEmpty();
        assertThat(RunLocks.h2LockDirectory("jdbc:postgresql://localhost/offboarding")).isEmpty();
    }

    @Test
    void twoProcessesWithOtherWorkingDirectoriesAndDataDirsContendForOneH2File() throws IOException {
        // given: one database file, named absolutely by one process and through a link and a
        // relative path by another whose data-dir is elsewhere
        Path shared = Files.createDirectories(this.dir.resolve("shared"));
        Path link = Files.createSymbolicLink(this.dir.resolve("link"), shared);
        Path relative = Path.of("").toAbsolutePath().relativize(link.resolve("sub").resolve(".."));
        RunLocks first = RunLocks.forDataSource(h2(shared.resolve("offboarding").toString()), this.dir.resolve("a"));
        RunLocks second = RunLocks.forDataSource(h2("./" + relative + "/offboarding"), this.dir.resolve("b"));

        // when
        Optional<RunLocks.Lock> taken = first.tryAcquire(RUN);
        Optional<RunLocks.Lock> refused = second.tryAcquire(RUN);

        // then
        assertThat(taken).isPresent();
        assertThat(refused).isEmpty();
        assertThat(shared.resolve("offboarding.locks")).isDirectory();
        assertThat(((RunLocks.FileLocks) second).directory()).isEqualTo(((RunLocks.FileLocks) first).directory());
        taken.get().close();
        assertThat(second.tryAcquire(RUN)).isPresent();
    }

    @Test
    void aRunIsOwnedWhileItsLockFileIsHeldAndNoLongerOnceItIsGone() throws IOException {
        // given
        RunLocks.FileLocks locks = new RunLocks.FileLocks(this.dir.resolve("locks"));
        RunLocks.Lock lock = locks.tryAcquire(RUN).orElseThrow();
        assertThat(locks.ownershipLost(RUN)).isEmpty();

        // when: someone deletes the lock file, so that another process could take the run
        try (var files = Files.list(this.dir.resolve("locks"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }

        // then
        assertThat(locks.ownershipLost(RUN)).hasValueSatisfying((why) -> assertThat(why).contains("was deleted"));
        lock.close();
        assertThat(locks.ownershipLost(RUN)).contains("this process holds no lock for the run");
        assertThat(locks.ownershipLost("another run")).isPresent();
    }

    private static DriverManagerDataSource h2(String path) {
        return new DriverManagerDataSource("jdbc:h2:file:" + path + ";AUTO_SERVER=TRUE", "sa", "");
    }

}
