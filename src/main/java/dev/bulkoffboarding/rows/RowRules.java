package dev.bulkoffboarding.rows;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a valid row looks like. The vendor does not enumerate action types, so the accepted set is
 * configuration; wipes are only accepted where they make sense, because a wipe cannot be undone.
 *
 * @param actionTypes the accepted action types, in the spelling sent to the vendor
 * @param recipientActionTypes the action types that need a new recipient
 * @param wipeActionTypes the action types on which {@code wipe=true} is accepted
 */
@ConfigurationProperties("offboarding.rules")
public record RowRules(@DefaultValue({ "Store", "Retrieval", "Assign", "Reassign" }) List<String> actionTypes,
        @DefaultValue({ "Assign", "Reassign" }) List<String> recipientActionTypes,
        @DefaultValue({ "Store", "Retrieval" }) List<String> wipeActionTypes) {

    /** The defaults, as documented in the README. */
    public static RowRules defaults() {
        return new RowRules(List.of("Store", "Retrieval", "Assign", "Reassign"), List.of("Assign", "Reassign"),
                List.of("Store", "Retrieval"));
    }

}
