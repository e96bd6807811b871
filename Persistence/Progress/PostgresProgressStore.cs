using System.Collections.Immutable;
using System.Text.Json;
using Learning.Progress;
using Npgsql;

namespace Learning.Persistence.Progress;

/// <summary>The progress table in PostgreSQL (<c>0007_progress.sql</c>). A user's unwritten records go in one statement.</summary>
public sealed class PostgresProgressStore(NpgsqlDataSource dataSource) : IProgressStore
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private const string Columns =
        "lesson_id, course_id, lesson_seconds, position_seconds, furthest_seconds, watched_spans::text, watched_seconds, completed_at, updated_at, revision";

    public async Task<LessonProgress?> FindAsync(Guid userId, Guid lessonId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM lesson_progress WHERE user_id = $1 AND lesson_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = lessonId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<LessonProgress>> ListAsync(Guid userId, Guid? courseId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM lesson_progress
            WHERE user_id = $1 AND ($2::uuid IS NULL OR course_id = $2)
            ORDER BY updated_at DESC, lesson_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)courseId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<LessonProgress>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    public async Task WriteAsync(Guid userId, IReadOnlyCollection<LessonProgress> progress, CancellationToken cancellationToken = default)
    {
        var rows = progress.Where(p => !p.IsEmpty).Select(p => new
        {
            p.LessonId, p.CourseId, p.LessonSeconds, p.PositionSeconds, p.FurthestSeconds,
            WatchedSpans = p.Watched.Select(s => new { s.Start, s.End }), p.WatchedSeconds, p.CompletedAt, p.UpdatedAt, p.Revision,
        }).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO lesson_progress (user_id, lesson_id, course_id, lesson_seconds, position_seconds, furthest_seconds,
                                         watched_spans, watched_seconds, completed_at, updated_at, revision)
            SELECT $1, r.lesson_id, r.course_id, r.lesson_seconds, r.position_seconds, r.furthest_seconds,
                   r.watched_spans, r.watched_seconds, r.completed_at, r.updated_at, r.revision
            FROM jsonb_to_recordset($2) AS r(lesson_id uuid, course_id uuid, lesson_seconds integer, position_seconds double precision,
                furthest_seconds double precision, watched_spans jsonb, watched_seconds double precision, completed_at timestamptz,
                updated_at timestamptz, revision bigint)
            ON CONFLICT (user_id, lesson_id) DO UPDATE SET
                course_id = EXCLUDED.course_id,
                lesson_seconds = EXCLUDED.lesson_seconds,
                position_seconds = EXCLUDED.position_seconds,
                furthest_seconds = EXCLUDED.furthest_seconds,
                watched_spans = EXCLUDED.watched_spans,
                watched_seconds = EXCLUDED.watched_seconds,
                completed_at = COALESCE(lesson_progress.completed_at, EXCLUDED.completed_at),
                updated_at = EXCLUDED.updated_at,
                revision = EXCLUDED.revision
            WHERE (lesson_progress.updated_at, lesson_progress.revision) < (EXCLUDED.updated_at, EXCLUDED.revision)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter
        {
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(rows, Json),
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static LessonProgress Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetInt32(2), r.GetDouble(3), r.GetDouble(4),
        [.. (JsonSerializer.Deserialize<Span[]>(r.GetString(5), Json) ?? []).Select(s => new WatchedSpan(s.Start, s.End))],
        r.GetDouble(6),
        r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7),
        r.GetFieldValue<DateTimeOffset>(8),
        r.GetInt64(9));

    private sealed record Span(double Start, double End);
}
