package dev.bulkoffboarding.schedule;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The {@code inbox_file} table: what became of each file the inbox took, so the operator sees why. */
@Repository
@ConditionalOnWebApplication
public class InboxLog {

    private final JdbcTemplate jdbc;

    InboxLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long received(String fileName, String sha256, Path path, String instance, Instant at) {
        KeyHolder keys = new GeneratedKeyHolder();
        this.jdbc.update((connection) -> {
            var statement = connection.prepareStatement("insert into inbox_file (file_name, file_sha256, stored_path, "
                    + "outcome, received_at, processed_by) values (?, ?, ?, ?, ?, ?)", new String[] { "id" });
            statement.setString(1, fileName);
            statement.setString(2, sha256);
            statement.setString(3, path.toString());
            statement.setString(4, InboxFile.Outcome.PROCESSING.name());
            statement.setTimestamp(5, Timestamp.from(at));
            statement.setString(6, instance);
            return statement;
        }, keys);
        return keys.getKeyAs(Number.class).longValue();
    }

    void runStarted(long id, long runId) {
        this.jdbc.update("update inbox_file set run_id = ? where id = ?", runId, id);
    }

    void finish(long id, InboxFile.Outcome outcome, Long runId, Path path, String message, Instant at) {
        this.jdbc.update("update inbox_file set outcome = ?, run_id = ?, stored_path = ?, message = ?, finished_at = ? "
                + "where id = ?", outcome.name(), runId, path.toString(), message, Timestamp.from(at), id);
    }

    Optional<InboxFile> findByPath(Path path) {
        return this.jdbc.query("select * from inbox_file where stored_path = ? order by id desc", InboxLog::map,
                path.toString()).stream().findFirst();
    }

    /** The inbox file whose run this is, when it waits in {@code failed/} for a restart. */
    public Optional<InboxFile> failedFileOfRun(long runId) {
        return this.jdbc.query("select * from inbox_file where run_id = ? and outcome = 'FAILED' order by id desc",
                InboxLog::map, runId).stream().findFirst();
    }

    List<InboxFile> failedFilesOfRun(long runId) {
        return this.jdbc.query("select * from inbox_file where run_id = ? and outcome = 'FAILED' order by id",
                InboxLog::map, runId);
    }

    /** The most recent files, newest first. */
    public List<InboxFile> recent(int limit) {
        return this.jdbc.query("select * from inbox_file order by received_at desc, id desc fetch first " + limit
                + " rows only", InboxLog::map);
    }

    private static InboxFile map(ResultSet rs, int rowNum) throws SQLException {
        long runId = rs.getLong("run_id");
        Long run = rs.wasNull() ? null : runId;
        return new InboxFile(rs.getLong("id"), rs.getString("file_name"), rs.getString("file_sha256"),
                rs.getString("stored_path"), InboxFile.Outcome.valueOf(rs.getString("outcome")), run,
                rs.getString("message"), instant(rs.getTimestamp("received_at")),
                instant(rs.getTimestamp("finished_at")), rs.getString("processed_by"));
    }

    private static Instant instant(Timestamp timestamp) {
        return (timestamp == null) ? null : timestamp.toInstant();
    }

}
