package dev.bulkoffboarding.schedule;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.bulkoffboarding.BulkOffboardingApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two serve instances on one database and one inbox folder, each a whole application with its
 * own web server: a schedule fires on one of them only, and a manual check is not held up by the
 * schedule's lock. Subclasses say which database they share.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InboxLockIntegrationTests {

    @TempDir
    static Path dir;

    private ConfigurableApplicationContext first;

    private ConfigurableApplicationContext second;

    /** Command-line arguments that point both instances at the same, fresh database. */
    abstract List<String> sharedDatabase();

    @BeforeAll
    void twoInstances() {
        List<String> database = sharedDatabase();
        this.first = instance("one", database);
        this.second = instance("two", database);
    }

    @BeforeEach
    void noLockHeld() {
        // each test starts as if no instance had fired for a long time: every lock has expired
        this.first.getBean(JdbcTemplate.class).update("update shedlock set lock_until = locked_at");
    }

    @AfterAll
    void stop() {
        if (this.second != null) {
            this.second.close();
        }
        if (this.first != null) {
            this.first.close();
        }
    }

    @Test
    void twoInstancesFiringTheSameScheduleProcessTheInboxOnce() throws Exception {
        // given
        Path file = drop("nightly.csv");
        InboxSchedule one = this.first.getBean(InboxSchedule.class);
        InboxSchedule two = this.second.getBean(InboxSchedule.class);

        // when: both fire at the same moment
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Future<Boolean> firedOne = threads.submit(() -> {
            go.await();
            return one.fire(true);
        });
        Future<Boolean> firedTwo = threads.submit(() -> {
            go.await();
            return two.fire(true);
        });
        go.countDown();
        boolean oneRan = firedOne.get(60, TimeUnit.SECONDS);
        boolean twoRan = firedTwo.get(60, TimeUnit.SECONDS);
        threads.shutdown();

        // then
        assertThat(List.of(oneRan, twoRan)).containsExactlyInAnyOrder(true, false);
        InboxSchedule skipped = oneRan ? two : one;
        assertThat(skipped.lastPass()).hasValueSatisfying((pass) -> assertThat(pass.ran()).isFalse());
        List<InboxFile> files = this.first.getBean(InboxLog.class).recent(10).stream()
            .filter((taken) -> taken.fileName().equals("nightly.csv"))
            .toList();
        assertThat(files).singleElement()
            .satisfies((taken) -> assertThat(taken.outcome()).isEqualTo(InboxFile.Outcome.ARCHIVED));
        assertThat(file).doesNotExist();

        // and a late instance on the same schedule does not fire it again
        assertThat(skipped.fire(true)).isFalse();
    }

    @Test
    void aManualCheckRightAfterAScheduledOneIsNotHeldUp() throws Exception {
        // given: a scheduled pass on one instance (its lock stays for lock-at-least-for)
        assertThat(this.first.getBean(InboxSchedule.class).fire(true)).isTrue();
        drop("afternoon.csv");

        // when: an operator checks the inbox on the other instance
        boolean ran = this.second.getBean(InboxSchedule.class).fire(false);

        // then
        assertThat(ran).isTrue();
        assertThat(this.second.getBean(InboxLog.class).recent(1)).singleElement()
            .satisfies((taken) -> assertThat(taken.fileName()).isEqualTo("afternoon.csv"));
    }

    private ConfigurableApplicationContext instance(String name, List<String> database) {
        List<String> arguments = new ArrayList<>(database);
        arguments.addAll(List.of("--spring.main.web-application-type=servlet", "--server.port=0",
                "--quipteams.api-key=", "--offboarding.inbox.dir=" + dir.resolve("inbox"),
                "--offboarding.data-dir=" + dir.resolve("data-" + name),
                "--offboarding.reports-dir=" + dir.resolve("reports-" + name),
                "--offboarding.web.upload-dir=" + dir.resolve("uploads-" + name)));
        return new SpringApplicationBuilder(BulkOffboardingApplication.class).profiles("test")
            .run(arguments.toArray(String[]::new));
    }

    private Path drop(String name) throws Exception {
        Path inbox = dir.resolve("inbox");
        Files.createDirectories(inbox);
        Path file = inbox.resolve(name);
        Files.writeString(file, "serial_number,action_type,current_user_name,current_user_email,current_user_country,"
                + "current_user_address,current_user_phone,new_recipient_name,new_recipient_email,wipe,notes,"
                + "notification_emails\r\nLOCK-" + UUID.randomUUID()
                + ",Retrieval,Jane Roe,jane.roe@example.com,Spain,Calle Mayor 1,,,,false,,\r\n", StandardCharsets.UTF_8);
        return file;
    }

}
