package dev.bulkoffboarding;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.sql.DataSource;

/**
 * Reads every value of every table of a database, to look for what must not be there: text, large
 * text, bytes, and Spring Batch's serialized execution contexts decoded.
 */
public final class DatabaseScan {

    /** Java serialization's magic number, AC ED 00 05, in Base64. */
    private static final String SERIALIZED_BASE64 = "rO0AB";

    private DatabaseScan() {
    }

    /**
     * Where the needle occurs: {@code TABLE.COLUMN} once per value that contains it, in every
     * table of the current schema (the ledger, Spring Batch's and Flyway's), large values included.
     */
    public static List<String> find(DataSource dataSource, String needle) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, needle);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public static List<String> find(Connection connection, String needle) throws SQLException {
        List<String> found = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData()
            .getTables(null, connection.getSchema(), null, new String[] { "TABLE" })) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        if (tables.isEmpty()) {
            throw new IllegalStateException("no tables to scan: wrong schema?");
        }
        for (String table : tables) {
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("select * from \"" + table + "\"")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int column = 1; column <= meta.getColumnCount(); column++) {
                        String value = text(rs.getObject(column));
                        if (value != null && value.contains(needle)) {
                            found.add(table + "." + meta.getColumnName(column));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The number of tables scanned, so that a test can show it looked at all of them. */
    public static List<String> tables(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                ResultSet rs = connection.getMetaData().getTables(null, connection.getSchema(), null,
                        new String[] { "TABLE" })) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
            return tables;
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String text(Object value) throws SQLException {
        if (value instanceof Clob clob) {
            try (Reader reader = clob.getCharacterStream()) {
                StringBuilder text = new StringBuilder();
                char[] buffer = new char[8192];
                int read;
                while ((read = reader.read(buffer)) > 0) {
                    text.append(buffer, 0, read);
                }
                return text.toString();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return (value == null) ? null : decoded(String.valueOf(value));
    }

    /**
     * Spring Batch stores execution contexts as Base64 of Java serialization, where a text search
     * sees nothing: such a value is searched decoded too (serialized strings keep ASCII as is).
     */
    private static String decoded(String value) {
        if (!value.startsWith(SERIALIZED_BASE64)) {
            return value;
        }
        try {
            return value + "\n" + new String(Base64.getDecoder().decode(value), StandardCharsets.ISO_8859_1);
        }
        catch (IllegalArgumentException notBase64) {
            return value;
        }
    }

}
