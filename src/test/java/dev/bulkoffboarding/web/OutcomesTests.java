package dev.bulkoffboarding.web;

import dev.bulkoffboarding.rows.RowState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OutcomesTests {

    @Test
    void noFilterMeansEveryOutcome() {
        assertThat(Outcomes.parse(null)).isEmpty();
        assertThat(Outcomes.parse(" ")).isEmpty();
    }

    @Test
    void attentionMeansTheRowsAPersonMustFix() {
        assertThat(Outcomes.parse("attention")).containsExactlyInAnyOrder(RowState.INVALID, RowState.DUPLICATE,
                RowState.REJECTED, RowState.UNCONFIRMED, RowState.NOT_IN_INVENTORY, RowState.OPEN_ACTION_EXISTS);
    }

    @Test
    void acceptsStatesInAnyCaseSeparatedByCommas() {
        assertThat(Outcomes.parse("submitted, FAILED")).containsExactlyInAnyOrder(RowState.SUBMITTED, RowState.FAILED);
    }

    @Test
    void anUnknownOutcomeIsABadRequest() {
        assertThatExceptionOfType(RunActionException.class).isThrownBy(() -> Outcomes.parse("LOST"))
            .satisfies((ex) -> assertThat(ex.status().value()).isEqualTo(400))
            .withMessageContaining("Unknown outcome 'LOST'");
    }

}
