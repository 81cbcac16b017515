package dev.bulkoffboarding.web;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import dev.bulkoffboarding.rows.RowState;

import org.springframework.http.HttpStatus;

/** Parses an {@code outcome} filter: row states separated by commas, or {@code attention}. */
final class Outcomes {

    static final String ATTENTION = "attention";

    private Outcomes() {
    }

    static Set<RowState> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return EnumSet.noneOf(RowState.class);
        }
        Set<RowState> states = EnumSet.noneOf(RowState.class);
        for (String part : filter.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (ATTENTION.equalsIgnoreCase(name)) {
                states.addAll(RunQueries.NEEDS_ATTENTION);
                continue;
            }
            try {
                states.add(RowState.valueOf(name));
            }
            catch (IllegalArgumentException ex) {
                throw new RunActionException(HttpStatus.BAD_REQUEST, "Unknown outcome '" + part.trim() + "': use "
                        + ATTENTION + " or one of " + java.util.Arrays.toString(RowState.values()) + ".");
            }
        }
        return states;
    }

}
