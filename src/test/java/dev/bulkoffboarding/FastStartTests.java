package dev.bulkoffboarding;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FastStartTests {

    @TempDir
    Path dir;

    @Test
    void findsTheExecutableJarItsClassesCameFrom() throws Exception {
        Path jar = Files.createFile(this.dir.resolve("bulk-offboarding.jar"));
        assertThat(FastStart.executableJar("jar:nested:" + jar + "/!BOOT-INF/classes/!/")).contains(jar);
    }

    @Test
    void classesFromAFolderOrAPlainJarAreNotAnExecutableJar() throws Exception {
        Path jar = Files.createFile(this.dir.resolve("bulk-offboarding.jar"));
        assertThat(FastStart.executableJar(this.dir.resolve("classes").toUri().toString())).isEmpty();
        assertThat(FastStart.executableJar(jar.toUri().toString())).isEmpty();
        assertThat(FastStart.executableJar(
                "jar:nested:" + this.dir.resolve("gone.jar") + "/!BOOT-INF/classes/!/")).isEmpty();
    }

    @Test
    void runsInThisJvmWhenNotStartedFromTheExecutableJar() {
        assertThat(FastStart.run(new String[] { "validate", "x.csv" })).isEmpty();
    }

}
