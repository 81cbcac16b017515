package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PrivateDataDirectoryTests {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({ "jdbc:h2:file:./data/bulk-offboarding;AUTO_SERVER=TRUE, ./data/bulk-offboarding",
            "jdbc:h2:./data/x, ./data/x", "jdbc:h2:file:/var/lib/offboarding/db, /var/lib/offboarding/db",
            "JDBC:H2:FILE:/tmp/db;MODE=PostgreSQL, /tmp/db" })
    void findsTheFileOfAnH2FileDatabase(String url, String file) {
        assertThat(PrivateDataDirectory.databaseFile(url)).contains(Path.of(file));
    }

    @ParameterizedTest
    @ValueSource(strings = { "jdbc:h2:mem:test;DB_CLOSE_DELAY=-1", "jdbc:h2:tcp://localhost/~/db",
            "jdbc:postgresql://localhost:5432/offboarding", "" })
    void ignoresDatabasesWithoutALocalFile(String url) {
        assertThat(PrivateDataDirectory.databaseFile(url)).isEmpty();
    }

    @Test
    void resolvesTheHomeDirectory() {
        assertThat(PrivateDataDirectory.databaseFile("jdbc:h2:~/offboarding"))
            .contains(Path.of(System.getProperty("user.home"), "offboarding"));
    }

    @Test
    void createsOrTightensTheDirectoryToItsOwner() throws IOException {
        // given
        Path existing = Files.createDirectory(this.dir.resolve("existing"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path fresh = this.dir.resolve("fresh/data");

        // when
        PrivateDataDirectory.makePrivate(existing);
        PrivateDataDirectory.makePrivate(fresh);

        // then
        assertThat(Files.getPosixFilePermissions(existing)).isEqualTo(PrivateDataDirectory.OWNER_DIRECTORY);
        assertThat(Files.getPosixFilePermissions(fresh)).isEqualTo(PrivateDataDirectory.OWNER_DIRECTORY);
    }

    @Test
    void makesTheDatabasesFilesReadableByTheirOwnerOnly() throws IOException {
        // given
        var readable = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
        Path database = Files.createFile(this.dir.resolve("offboarding.mv.db"), readable);
        Path trace = Files.createFile(this.dir.resolve("offboarding.trace.db"), readable);
        Path unrelated = Files.createFile(this.dir.resolve("notes.txt"), readable);

        // when
        PrivateDataDirectory.makeFilesPrivate(this.dir.resolve("offboarding"));

        // then
        assertThat(Files.getPosixFilePermissions(database)).isEqualTo(PrivateDataDirectory.OWNER_FILE);
        assertThat(Files.getPosixFilePermissions(trace)).isEqualTo(PrivateDataDirectory.OWNER_FILE);
        assertThat(Files.getPosixFilePermissions(unrelated)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

}
