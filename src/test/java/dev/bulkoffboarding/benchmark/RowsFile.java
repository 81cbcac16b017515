package dev.bulkoffboarding.benchmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates an offboarding CSV that looks like an HR export: the canonical header, a mix of
 * Store (with wipe), Retrieval and Assign (with a new recipient) rows, quoted addresses with
 * commas, a spreadsheet-protected phone number, and serial numbers unique to one benchmark run
 * (so that cross-run de-duplication never hides a row). Every {@code invalidEvery}-th row has a
 * broken e-mail address, to exercise the failure report.
 */
final class RowsFile {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,"
            + "current_user_country,current_user_address,current_user_phone,new_recipient_name,new_recipient_email,"
            + "wipe,notes,notification_emails";

    private static final String[] COUNTRIES = { "United States", "Spain", "Germany", "Singapore", "United Kingdom" };

    private final String serialPrefix;

    private final int invalidEvery;

    /**
     * @param serialPrefix makes this file's serial numbers unique, e.g. {@code BENCH-a1-}
     * @param invalidEvery every n-th row is invalid; 0 for none
     */
    RowsFile(String serialPrefix, int invalidEvery) {
        this.serialPrefix = serialPrefix;
        this.invalidEvery = invalidEvery;
    }

    Path write(Path file, int rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            StringBuilder line = new StringBuilder(256);
            for (int i = 0; i < rows; i++) {
                line.setLength(0);
                appendRow(line, i);
                out.append(line).append('\n');
            }
        }
        return file;
    }

    /** Whether row {@code i} is valid (the benchmark expects exactly these to be created). */
    boolean valid(int i) {
        return this.invalidEvery == 0 || (i + 1) % this.invalidEvery != 0;
    }

    int validRows(int rows) {
        return (this.invalidEvery == 0) ? rows : rows - rows / this.invalidEvery;
    }

    private String serial(int i) {
        return this.serialPrefix + String.format("%07d", i);
    }

    private static String action(int i) {
        return switch (i % 3) {
            case 0 -> "Store";
            case 1 -> "Retrieval";
            default -> "Assign";
        };
    }

    private void appendRow(StringBuilder line, int i) {
        String action = action(i);
        String email = valid(i) ? "person" + i + "@northwind.example" : "person" + i + "-at-northwind.example";
        line.append(serial(i)).append(',').append(action).append(',')
            .append("Person ").append(i).append(',')
            .append(email).append(',')
            .append(COUNTRIES[i % COUNTRIES.length]).append(',')
            .append("\"").append(100 + i % 900).append(" Main Street, Springfield\"").append(',')
            .append("'+1-555-").append(String.format("%04d", i % 10_000)).append(',');
        if (action.equals("Assign")) {
            line.append("Recipient ").append(i).append(',').append("recipient").append(i).append("@northwind.example");
        }
        else {
            line.append(',');
        }
        line.append(',').append(action.equals("Store") ? "true" : (action.equals("Retrieval") ? "false" : ""))
            .append(',').append("Leaving on Friday").append(',').append("it@northwind.example");
    }

    /**
     * The request body a person scripting the API by hand would build for row {@code i}, straight
     * from the vendor's documentation (the baseline client's view of the same row).
     */
    String jsonBody(int i) {
        String action = action(i);
        StringBuilder json = new StringBuilder(384);
        json.append("{\"action_type\":\"").append(action).append("\",\"serial_number\":\"").append(serial(i))
            .append("\",\"current_user\":{\"name\":\"Person ").append(i).append("\",\"email\":\"person").append(i)
            .append("@northwind.example\",\"country\":\"").append(COUNTRIES[i % COUNTRIES.length])
            .append("\",\"address\":\"").append(100 + i % 900).append(" Main Street, Springfield\",\"phone\":\"+1-555-")
            .append(String.format("%04d", i % 10_000)).append("\"}");
        if (action.equals("Assign")) {
            json.append(",\"new_recipient\":{\"name\":\"Recipient ").append(i).append("\",\"email\":\"recipient")
                .append(i).append("@northwind.example\"}");
        }
        else {
            json.append(",\"wipe\":").append(action.equals("Store"));
        }
        json.append(",\"notes\":\"Leaving on Friday\",\"notification_emails\":[\"it@northwind.example\"]}");
        return json.toString();
    }

}
