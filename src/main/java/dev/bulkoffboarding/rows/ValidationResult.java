package dev.bulkoffboarding.rows;

import java.util.List;

/**
 * The verdict on one row: a request when every rule passed, otherwise every problem found (a user
 * fixes a row once, not once per problem). {@code serialKey} and {@code actionType} are filled in
 * whenever they could be read, so whole-file checks can still see invalid rows.
 */
public record ValidationResult(long line, String serialNumber, String serialKey, String actionType,
        OffboardingRequest request, List<String> problems) {

    public boolean valid() {
        return problems.isEmpty();
    }

}
