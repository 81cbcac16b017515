package dev.bulkoffboarding.quipteams;

import tools.jackson.databind.JsonNode;

/**
 * What tells our device action from another one for the same device: the fields of the request we
 * send that the vendor's list items echo (quipteams-api.md §6, §9).
 *
 * @param serialNumber the serial as sent
 * @param actionType the action type as sent
 * @param wipe {@code wipe}; absent is false
 * @param currentUserEmail {@code current_user.email}
 * @param newRecipientEmail {@code new_recipient.email}, null without a new recipient
 */
record ActionFingerprint(String serialNumber, String actionType, boolean wipe, String currentUserEmail,
        String newRecipientEmail) {

    /** Read from the body we send, so that we compare with exactly what the vendor received. */
    static ActionFingerprint of(Submission submission) {
        JsonNode body = QuipteamsJson.parseOrNull(submission.body());
        if (body == null || !body.isObject()) {
            // never happens with the bodies we build; guessing here could adopt someone else's action
            throw new IllegalArgumentException("The request body of " + submission.idempotencyKey()
                    + " is not a JSON object");
        }
        JsonNode wipe = body.path("wipe");
        return new ActionFingerprint(submission.serialNumber(), submission.actionType(),
                wipe.isBoolean() && wipe.booleanValue(), QuipteamsJson.text(body.path("current_user").path("email")),
                QuipteamsJson.text(body.path("new_recipient").path("email")));
    }

}
