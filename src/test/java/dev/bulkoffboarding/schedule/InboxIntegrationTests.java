package dev.bulkoffboarding.schedule;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import jakarta.mail.internet.MimeMessage;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox against a mock Quipteams and an in-process SMTP server: complete files only, oldest
 * first, each once; archive and failed moves; a failed run's file moves on after a successful
 * restart; a summary mail per run.
 */
@SpringBootTest(properties = { "spring.main.web-application-type=servlet", "offboarding.inbox.stability-interval=300ms",
        "offboarding.inbox.max-wait=0s", "offboarding.mail.to=it-team@example.com",
        "offboarding.mail.base-url=https://offboarding.example.com", "spring.mail.host=127.0.0.1" })
@ActiveProfiles("test")
class InboxIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,current_user_country,"
            + "current_user_address,current_user_phone,new_recipient_name,new_recipient_email,wipe,notes,"
            + "notification_emails";

    static final MockWebServer vendor = new MockWebServer();

    static final List<RecordedRequest> posts = new CopyOnWriteArrayList<>();

    static final AtomicReference<Function<RecordedRequest, MockResponse>> responder = new AtomicReference<>();

    static final AtomicInteger created = new AtomicInteger();

    static final GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    @Autowired
    InboxProcessor processor;

    @Autowired
    InboxProperties inbox;

    @Autowired
    InboxLog log;

    @Autowired
    BackgroundRuns background;

    @Autowired
    Ledger ledger;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws IOException {
        vendor.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if ("POST".equals(request.getMethod())) {
                    posts.add(request);
                }
                return responder.get().apply(request);
            }
        });
        vendor.start();
        smtp.start();
        registry.add("quipteams.base-url", () -> vendor.url("/").toString().replaceAll("/$", ""));
        registry.add("quipteams.api-key", () -> "qk_test_inbox0123456789");
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
    }

    @AfterAll
    static void stop() {
        vendor.close();
        smtp.stop();
    }

    @BeforeEach
    void reset() throws Exception {
        posts.clear();
        responder.set(InboxIntegrationTests::created);
        smtp.purgeEmailFromAllMailboxes();
    }

    @Test
    void aFileStillBeingWrittenIsNotPickedUp() throws Exception {
        // given: an exporter that has written half of its file
        Path file = this.inbox.dir().resolve("nightly-" + UUID.randomUUID() + ".csv");
        try (Writer exporter = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
            exporter.write(HEADER + "\r\n");
            writeRows(exporter, 6);

            // when: it writes the other half while the processor waits to see whether the file changes
            // (the writes follow the processor's steps, not a timer, so a busy machine cannot reorder them)
            FutureTask<InboxProcessor.Pass> pass = new FutureTask<>(this.processor::processInbox);
            Thread processing = new Thread(pass, "inbox-pass");
            processing.start();
            awaitStabilityWait(processing);
            writeRows(exporter, 6);
            InboxProcessor.Pass whileWriting = pass.get(30, TimeUnit.SECONDS);

            // then
            assertThat(whileWriting.processed()).isZero();
            assertThat(whileWriting.waiting()).isEqualTo(1);
            assertThat(file).exists();
            assertThat(posts).isEmpty();
        }

        // and once it is complete
        InboxProcessor.Pass afterwards = this.processor.processInbox();
        assertThat(afterwards.processed()).isEqualTo(1);
        assertThat(file).doesNotExist();
        assertThat(posts).hasSize(12);
        assertThat(latest().outcome()).isEqualTo(InboxFile.Outcome.ARCHIVED);
    }

    /** Returns once {@code processing} sleeps between its two looks at the inbox's files. */
    static void awaitStabilityWait(Thread processing) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            StackTraceElement[] stack = processing.getStackTrace();
            boolean sleeping = processing.getState() == Thread.State.TIMED_WAITING && stack.length > 0
                    && List.of(stack).stream().anyMatch((frame) -> frame.getMethodName().equals("byStability"))
                    && List.of(stack).stream().anyMatch((frame) -> frame.getClassName().equals(Thread.class.getName())
                            && frame.getMethodName().startsWith("sleep"));
            if (sleeping) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the inbox pass never waited for the files to settle: " + processing.getState());
    }

    static void writeRows(Writer exporter, int rows) throws IOException {
        for (int i = 0; i < rows; i++) {
            exporter.write(row("SLOW-" + UUID.randomUUID()) + "\r\n");
        }
        exporter.flush();
    }

    @Test
    void theSameFileTwiceIsProcessedOnce() throws Exception {
        // given
        String content = csv(row("TWICE-" + UUID.randomUUID()), row("TWICE-" + UUID.randomUUID()));
        drop("monday.csv", content);
        this.processor.processInbox();
        InboxFile first = latest();

        // when: the same export again, under another name
        drop("tuesday.csv", content);
        this.processor.processInbox();

        // then
        InboxFile second = latest();
        assertThat(first.outcome()).isEqualTo(InboxFile.Outcome.ARCHIVED);
        assertThat(second.outcome()).isEqualTo(InboxFile.Outcome.DUPLICATE);
        assertThat(second.runId()).isEqualTo(first.runId());
        assertThat(second.message()).contains("identical to monday.csv", "run " + first.runId(), "not run again");
        assertThat(Path.of(second.currentPath())).exists().hasParent(this.inbox.archive());
        assertThat(posts).hasSize(2);
        assertThat(mailSubjects()).anyMatch((subject) -> subject.contains("tuesday.csv was not run"));
    }

    @Test
    void aCompletedRunsFileGoesToTheArchive() throws Exception {
        // given
        drop("complete.csv", csv(row("DONE-" + UUID.randomUUID())));

        // when
        this.processor.processInbox();

        // then
        InboxFile file = latest();
        assertThat(file.outcome()).isEqualTo(InboxFile.Outcome.ARCHIVED);
        assertThat(file.fileName()).isEqualTo("complete.csv");
        assertThat(Path.of(file.currentPath())).exists().hasParent(this.inbox.archive());
        assertThat(Path.of(file.currentPath()).getFileName().toString()).endsWith("-complete.csv");
        assertThat(this.background.completedRunOf(file.sha256())).hasValueSatisfying((run) -> {
            assertThat(run.fileName()).isEqualTo("complete.csv");
            assertThat(run.count("SUBMITTED")).isEqualTo(1);
        });
        assertThat(InboxFolder.entries(this.inbox.processing(), Files::exists)).isEmpty();
    }

    @Test
    void aRejectedFileGoesToFailed() throws Exception {
        // given
        drop("wrong-columns.csv", "Serial,Name\r\nC02X,John\r\n");

        // when
        this.processor.processInbox();

        // then
        InboxFile file = latest();
        assertThat(file.outcome()).isEqualTo(InboxFile.Outcome.REJECTED);
        assertThat(file.message()).contains("action_type");
        assertThat(Path.of(file.currentPath())).exists().hasParent(this.inbox.failed());
        assertThat(posts).isEmpty();
        assertThat(mailSubjects()).anyMatch((subject) -> subject.contains("wrong-columns.csv was not run"));
    }

    @Test
    void aFailedRunsFileGoesToFailedAndMovesOnOnceARestartCompletesIt() throws Exception {
        // given: the vendor refuses the key (a systemic failure: the run fails, nothing is skipped)
        responder.set((request) -> json(401, "{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"bad key\"}}"));
        drop("tonight.csv", csv(row("LATER-" + UUID.randomUUID()), row("LATER-" + UUID.randomUUID())));
        this.processor.processInbox();
        InboxFile failed = latest();
        assertThat(failed.outcome()).isEqualTo(InboxFile.Outcome.FAILED);
        assertThat(failed.message()).contains("restart");
        assertThat(Path.of(failed.currentPath())).exists().hasParent(this.inbox.failed());

        // when: the key is fixed and the run restarted (from the UI or the API)
        responder.set(InboxIntegrationTests::created);
        RunResult restarted = this.background.restart(failed.runId()).result().get(30, TimeUnit.SECONDS);

        // then
        assertThat(restarted.summary().status()).isEqualTo("COMPLETED");
        InboxFile moved = this.log.recent(10).stream().filter((file) -> file.id() == failed.id()).findFirst().orElseThrow();
        assertThat(moved.outcome()).isEqualTo(InboxFile.Outcome.ARCHIVED);
        assertThat(Path.of(moved.currentPath())).exists().hasParent(this.inbox.archive());
        assertThat(Path.of(failed.currentPath())).doesNotExist();
        assertThat(this.ledger.countByState(failed.runId()).get(RowState.SUBMITTED)).isEqualTo(2);
    }

    @Test
    void theSameFileDroppedAgainResumesItsFailedRunAndBothCopiesMoveOn() throws Exception {
        // given: a run that failed
        responder.set((request) -> json(401, "{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"bad key\"}}"));
        String content = csv(row("AGAIN-" + UUID.randomUUID()));
        drop("first-try.csv", content);
        this.processor.processInbox();
        InboxFile failed = latest();
        assertThat(failed.outcome()).isEqualTo(InboxFile.Outcome.FAILED);

        // when: the exporter drops the same file again, and the vendor takes it this time
        responder.set(InboxIntegrationTests::created);
        drop("second-try.csv", content);
        this.processor.processInbox();

        // then: the same run resumed and completed, and neither copy is left in failed/
        InboxFile second = latest();
        assertThat(second.outcome()).isEqualTo(InboxFile.Outcome.ARCHIVED);
        assertThat(second.runId()).isEqualTo(failed.runId());
        InboxFile first = this.log.recent(10).stream().filter((file) -> file.id() == failed.id()).findFirst()
            .orElseThrow();
        assertThat(first.outcome()).isEqualTo(InboxFile.Outcome.ARCHIVED);
        assertThat(first.message()).contains("later copy");
        assertThat(Path.of(first.currentPath())).exists().hasParent(this.inbox.archive());
        // the attempt the vendor refused, and the one that created the action
        assertThat(posts).hasSize(2);
        assertThat(this.ledger.countByState(failed.runId()).get(RowState.SUBMITTED)).isEqualTo(1);
    }

    @Test
    void filesAreTakenOldestFirst() throws Exception {
        // given: b is older than a
        Path a = drop("a-" + UUID.randomUUID() + ".csv", csv(row("OLD-" + UUID.randomUUID())));
        Path b = drop("b-" + UUID.randomUUID() + ".csv", csv(row("OLD-" + UUID.randomUUID())));
        Files.setLastModifiedTime(b, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(a, FileTime.from(Instant.now().minusSeconds(60)));

        // when
        this.processor.processInbox();

        // then
        List<InboxFile> recent = this.log.recent(2);
        InboxFile newer = recent.get(0);
        InboxFile older = recent.get(1);
        assertThat(older.fileName()).isEqualTo(b.getFileName().toString());
        assertThat(newer.fileName()).isEqualTo(a.getFileName().toString());
        assertThat(older.runId()).isLessThan(newer.runId());
    }

    @Test
    void mailsASummaryOfEachRunWithALinkAndNoPersonalData() throws Exception {
        // given
        drop("mailed.csv", csv(row("MAIL-" + UUID.randomUUID()), row("MAIL-" + UUID.randomUUID()), ""));

        // when
        this.processor.processInbox();

        // then
        long runId = latest().runId();
        MimeMessage mail = awaitMail("Run " + runId + " completed");
        String body = GreenMailUtil.getBody(mail);
        assertThat(mail.getSubject()).isEqualTo("[bulk-offboarding] Run " + runId
                + " completed: 2 submitted, 0 need attention, 0 to retry (mailed.csv)");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("it-team@example.com");
        assertThat(body).contains("SUBMITTED", "https://offboarding.example.com/runs/" + runId, "(schedule)");
        assertThat(body).doesNotContain("jane.roe@example.com", "Jane Roe");
    }

    // ---- helpers

    InboxFile latest() {
        return this.log.recent(1).get(0);
    }

    List<String> mailSubjects() throws Exception {
        smtp.waitForIncomingEmail(5000, 1);
        return java.util.Arrays.stream(smtp.getReceivedMessages()).map((message) -> {
            try {
                return message.getSubject();
            }
            catch (jakarta.mail.MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        }).toList();
    }

    MimeMessage awaitMail(String subjectPart) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (MimeMessage message : smtp.getReceivedMessages()) {
                if (message.getSubject().contains(subjectPart)) {
                    return message;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no mail about '" + subjectPart + "' in " + mailSubjects());
    }

    Path drop(String name, String content) throws IOException {
        Path file = this.inbox.dir().resolve(name);
        Files.createDirectories(this.inbox.dir());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    static String csv(String... rows) {
        return HEADER + "\r\n" + String.join("\r\n", rows) + "\r\n";
    }

    static String row(String serial) {
        return serial + ",Retrieval,Jane Roe,jane.roe@example.com,Spain,Calle Mayor 1,,,,false,,";
    }

    static MockResponse created(RecordedRequest request) {
        if ("GET".equals(request.getMethod())) {
            return json(200, "{\"data\":[],\"meta\":{\"has_more\":false,\"next_cursor\":null}}");
        }
        return json(201, "{\"data\":{\"id\":\"" + UUID.randomUUID() + "\",\"action_id\":\"DA-INBOX-"
                + created.incrementAndGet() + "\",\"action_type\":\"Retrieval\",\"status\":\"In Progress\"}}");
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
    }

}
