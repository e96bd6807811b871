using System.Text.Json;
using Learning.Email;
using Learning.ReadModel;
using Npgsql;
using NpgsqlTypes;

namespace Learning.Persistence.Email;

/// <summary>
/// The mail queue in PostgreSQL (<c>0004_mail_queue.sql</c>). It survives silo restarts, and every silo's dispatcher
/// claims from it: <c>FOR UPDATE SKIP LOCKED</c> keeps two claims from taking one row at the same moment, and the
/// lease (<c>locked_until</c>) keeps it from being claimed again while it is being sent.
/// </summary>
public sealed class PostgresMailQueue(NpgsqlDataSource dataSource, MailSignal signal) : IMailQueue
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private const string RecordColumns =
        "id, user_id, recipient, kind, subject, status, attempts, created_at, next_attempt_at, sent_at, failed_at, last_error";

    public async Task EnqueueAsync(IReadOnlyCollection<OutgoingMail> mails, CancellationToken cancellationToken = default)
    {
        if (mails.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO mail_queue (id, user_id, recipient, kind, subject, text_body, html_body, next_attempt_at, created_at)
            SELECT x.id, x.user_id, x.recipient, x.kind, x.subject, x.text_body, x.html_body, x.created_at, x.created_at
            FROM jsonb_to_recordset($1) AS x(id uuid, user_id uuid, recipient text, kind text, subject text, text_body text,
                                             html_body text, created_at timestamptz)
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlDbType.Jsonb,
            Value = JsonSerializer.Serialize(mails.Select(m => new
            {
                m.Id, m.UserId, Recipient = m.To, m.Kind, m.Subject, m.TextBody, m.HtmlBody, CreatedAt = Microseconds(m.CreatedAt),
            }), Json),
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
        signal.Notify();
    }

    public async Task<IReadOnlyList<ClaimedMail>> ClaimDueAsync(
        int max, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        // Read committed re-checks a row that another claim updated while this one waited for it, so a row whose
        // lease was just taken is skipped, not claimed twice.
        await using var command = Command("""
            UPDATE mail_queue m SET attempts = m.attempts + 1, locked_until = $2
            FROM (SELECT id FROM mail_queue
                  WHERE status = 'queued' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
                  ORDER BY next_attempt_at, id
                  LIMIT $3
                  FOR UPDATE SKIP LOCKED) due
            WHERE m.id = due.id
            RETURNING m.id, m.user_id, m.recipient, m.kind, m.subject, m.text_body, m.html_body, m.created_at, m.attempts
            """, now, now + lease, max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new List<ClaimedMail>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var mail = new OutgoingMail(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7));
            claimed.Add(new ClaimedMail(mail, reader.GetInt32(8)));
        }

        return claimed.OrderBy(c => c.Mail.CreatedAt).ThenBy(c => c.Mail.Id).ToList();
    }

    public async Task MarkSentAsync(Guid id, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            UPDATE mail_queue
            SET status = 'sent', sent_at = $2, text_body = NULL, html_body = NULL, locked_until = NULL, last_error = NULL
            WHERE id = $1 AND status = 'queued'
            """, id, sentAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ScheduleRetryAsync(ClaimedMail claim, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            UPDATE mail_queue SET next_attempt_at = $3, locked_until = NULL, last_error = $4
            WHERE id = $1 AND status = 'queued' AND attempts = $2
            """, claim.Mail.Id, claim.Attempt, nextAttemptAt, error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkFailedAsync(ClaimedMail claim, DateTimeOffset failedAt, string error, CancellationToken cancellationToken = default)
    {
        await using var command = Command("""
            UPDATE mail_queue
            SET status = 'failed', failed_at = $3, last_error = $4, text_body = NULL, html_body = NULL, locked_until = NULL
            WHERE id = $1 AND status = 'queued' AND attempts = $2
            """, claim.Mail.Id, claim.Attempt, failedAt, error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeSentAsync(DateTimeOffset sentBefore, CancellationToken cancellationToken = default)
    {
        await using var command = Command("DELETE FROM mail_queue WHERE status = 'sent' AND sent_at < $1", sentBefore);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Page<MailRecord>> ListAsync(MailStatus? status, int limit, PageCursor? cursor, CancellationToken cancellationToken = default)
    {
        var conditions = new List<string>();
        var values = new List<object>();
        if (status is { } wanted)
        {
            values.Add(MailStatusNames.Of(wanted));
            conditions.Add($"status = ${values.Count}");
        }

        if (cursor is { } after)
        {
            values.Add(after.At);
            values.Add(after.Id);
            conditions.Add($"(created_at, id) < (${values.Count - 1}, ${values.Count})");
        }

        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        values.Add(limit + 1);
        await using var command = Command(
            $"SELECT {RecordColumns} FROM mail_queue{where} ORDER BY created_at DESC, id DESC LIMIT ${values.Count}", [.. values]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<MailRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MailRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                MailStatusNames.Parse(reader.GetString(5)), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8), Timestamp(reader, 9), Timestamp(reader, 10), reader.IsDBNull(11) ? null : reader.GetString(11)));
        }

        return Paging.Cut(rows, limit, r => new PageCursor(r.CreatedAt, r.Id));
    }

    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value is DateTimeOffset at ? at.ToUniversalTime() : value });
        }

        return command;
    }

    /// <summary>
    /// PostgreSQL keeps microseconds. Parameters are truncated to them, but text is rounded: truncated here too, so a
    /// mail queued at "now" is due at that same "now" and not a microsecond later.
    /// </summary>
    private static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    private static DateTimeOffset? Timestamp(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
