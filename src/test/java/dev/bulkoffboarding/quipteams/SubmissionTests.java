package dev.bulkoffboarding.quipteams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubmissionTests {

    @Test
    void aRowIsNamedByItsLineAndSerialAsThePersonWhoWroteTheFileKnowsIt() {
        // given
        Submission submission = Submission.firstAttempt("bulk-offboarding-141e7ca03f0ea6ff-1-64", " C02XK1 ", "Store",
                "{}");

        // when / then
        assertThat(submission.row()).isEqualTo("line 64, serial C02XK1");
    }

    @Test
    void aKeyWithoutALineNamesTheSerialOnly() {
        assertThat(Submission.firstAttempt("key", "C02XK1", "Store", "{}").row()).isEqualTo("serial C02XK1");
        assertThat(Submission.firstAttempt("row-x", "C02XK1", "Store", "{}").row()).isEqualTo("serial C02XK1");
    }

}
