package dev.bulkoffboarding.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class InboxPathTricksTests {

    @TempDir
    Path dir;

    @Test
    void takesOnlyRegularFilesThatLiveInTheInbox() throws IOException {
        // given
        Path inbox = Files.createDirectories(this.dir.resolve("inbox"));
        Path secret = Files.writeString(Files.createDirectories(this.dir.resolve("elsewhere")).resolve("hr.csv"), "x");
        Path good = Files.writeString(inbox.resolve("leavers.csv"), "x");
        Files.createSymbolicLink(inbox.resolve("linked.csv"), secret);
        Files.createSymbolicLink(inbox.resolve("alias.csv"), good);
        Files.writeString(inbox.resolve("evil\nname.csv"), "x");
        Files.writeString(inbox.resolve("gpj.\u202Ecsv"), "x");
        Files.createDirectories(inbox.resolve("folder.csv"));

        // when
        var taken = InboxFolder.csvFiles(inbox);

        // then
        assertThat(taken).containsExactly(good);
    }

    @Test
    void saysWhyAnEntryIsRefused() throws IOException {
        // given
        Path inbox = Files.createDirectories(this.dir.resolve("inbox"));
        Path outside = Files.writeString(this.dir.resolve("outside.csv"), "x");
        Path link = Files.createSymbolicLink(inbox.resolve("link.csv"), outside);

        // when / then
        assertThat(InboxFolder.refusal(inbox, link, "link.csv")).isEqualTo("it is a symbolic link");
        assertThat(InboxFolder.refusal(inbox, inbox.resolve("x\u202Evsc.csv"), "x\u202Evsc.csv"))
            .isEqualTo("its name has control characters or path tricks");
    }

}
