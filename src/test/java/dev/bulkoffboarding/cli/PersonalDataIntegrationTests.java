package dev.bulkoffboarding.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.FakeApiKeys;
import dev.bulkoffboarding.support.SandboxVendor;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Personal data as the command line leaves it: logs mask e-mail addresses and phone numbers (and
 * the API key given as an argument) even with request bodies and SQL parameters logged, unless
 * masking is switched off; the database and the reports are readable by their owner only.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataIntegrationTests {

    static final String SAMPLE = "sample-data/offboarding-sample.csv";

    static final String KEY = FakeApiKeys.live();

    @AutoClose
    static final SandboxServer vendor = SandboxVendor.immediate();

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        vendor.reset();
    }

    /** The logging that shows people's data: request bodies, decoded responses, SQL parameter values. */
    Cli talkativeCli() {
        return new Cli(this.dir).vendor(vendor, KEY)
            .with("--logging.level.dev.bulkoffboarding=DEBUG")
            .with("--logging.level.org.springframework.web=TRACE")
            .with("--logging.level.org.springframework.jdbc.core=TRACE")
            .with("--spring.codec.log-request-details=true");
    }

    /** Every e-mail address and phone number of the sample sheet, as the application reads them. */
    static List<String> contacts() throws IOException {
        List<String> contacts = new ArrayList<>();
        try (CSVParser sheet = CSVParser.parse(Path.of(SAMPLE), StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().get())) {
            for (CSVRecord row : sheet) {
                for (String column : List.of("Employee Email", "New Recipient Email", "Notify", "Phone")) {
                    for (String value : row.get(column).split("[;,]")) {
                        String contact = value.strip().replaceFirst("^'", "");
                        if (contact.contains("@") && contact.indexOf('@') < contact.length() - 1
                                || contact.startsWith("+")) {
                            contacts.add(contact);
                        }
                    }
                }
            }
        }
        return contacts;
    }

    @Test
    void logsMaskEmailAddressesPhoneNumbersAndTheKeyAndTheFilesAreTheOwnersOnly(CapturedOutput output)
            throws IOException {
        // given
        Cli cli = talkativeCli();
        List<String> contacts = contacts();
        assertThat(contacts).contains("john.doe@northwind.example", "+1-555-0100").hasSizeGreaterThan(30);

        // when
        int exitCode = cli.run("run", SAMPLE, "--confirm-wipes", "8");

        // then: the bodies and parameters were logged, masked
        assertThat(exitCode).isEqualTo(3);
        String printed = output.toString();
        assertThat(printed).contains("Decoded \"{\"data\"").contains("Setting SQL statement parameter value")
            .contains("j***@northwind.example").contains("***-**00");
        assertThat(contacts).allSatisfy((contact) -> assertThat(printed).doesNotContain(contact));
        assertThat(printed).doesNotContain(KEY.substring(FakeApiKeys.PREFIX.length()));

        // then: the database, the run locks and the reports: owner only
        var owner = PosixFilePermissions.fromString("rwx------");
        var ownerFile = PosixFilePermissions.fromString("rw-------");
        assertThat(Files.getPosixFilePermissions(cli.dataDir())).isEqualTo(owner);
        assertThat(Files.getPosixFilePermissions(cli.dataDir().resolve("bulk-offboarding.mv.db"))).isEqualTo(ownerFile);
        Path run = cli.reports().resolve("1");
        assertThat(Files.getPosixFilePermissions(run)).isEqualTo(owner);
        try (Stream<Path> reports = Files.list(run)) {
            assertThat(reports.toList()).hasSize(3)
                .allSatisfy((report) -> assertThat(Files.getPosixFilePermissions(report)).isEqualTo(ownerFile));
        }
    }

    @Test
    void maskingCanBeSwitchedOffForDebugging(CapturedOutput output) {
        // when
        int exitCode = talkativeCli().with("--offboarding.logging.mask-personal-data=false")
            .run("run", SAMPLE, "--confirm-wipes", "8");

        // then: people's data is in the log, the key still is not
        assertThat(exitCode).isEqualTo(3);
        assertThat(output).contains("john.doe@northwind.example").contains("+1-555-0100")
            .doesNotContain(KEY.substring(FakeApiKeys.PREFIX.length()));
    }

}
