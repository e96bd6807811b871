using System.Collections.Immutable;
using System.Data;
using Learning.Catalog;
using Npgsql;

namespace Learning.Persistence;

/// <summary>
/// The catalog in PostgreSQL (tables of <c>0003_catalog.sql</c>). A change claims the next version, writes its rows
/// and its audit entries in one transaction; a claim that finds another version writes nothing.
/// </summary>
public sealed class PostgresCatalogStore(NpgsqlDataSource dataSource) : ICatalogStore
{
    public async Task<CatalogSnapshot?> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One view of the database for the three reads, so the rows are those of the version read.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new("SELECT version FROM catalog_version"),
                new("SELECT id, title, description, published, created_at, updated_at FROM courses ORDER BY created_seq"),
                new("""
                    SELECT l.id, l.course_id, l.title, l.duration_minutes, l.sort_order, l.free_preview,
                           l.media_file_name, l.media_content_type, l.media_bytes, l.media_sha256, l.media_duration_seconds,
                           l.media_uploaded_at, l.created_at, l.updated_at
                    FROM lessons l JOIN courses c ON c.id = l.course_id
                    ORDER BY c.created_seq, l.sort_order
                    """),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var version = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var courses = ImmutableArray.CreateBuilder<CatalogCourse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            courses.Add(new CatalogCourse(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), Timestamp(reader, 4), Timestamp(reader, 5)));
        }

        await reader.NextResultAsync(cancellationToken);
        var lessons = ImmutableArray.CreateBuilder<CatalogLesson>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var media = reader.IsDBNull(6) ? null : new LessonMedia(
                reader.GetString(6), reader.GetString(7), reader.GetInt64(8), reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetDouble(10), Timestamp(reader, 11));
            lessons.Add(new CatalogLesson(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetBoolean(5),
                media, Timestamp(reader, 12), Timestamp(reader, 13)));
        }

        return new CatalogSnapshot(version, courses.ToImmutable(), lessons.ToImmutable());
    }

    public async Task<bool> ServedBeforeAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM users)");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task ApplyAsync(CatalogChange change, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // First, so a stale writer learns of its conflict before any of its rows could fail on newer ones. The row
        // lock it takes makes a concurrent claim of the same version wait, then find the row moved on.
        await using (var claim = change.ExpectedVersion == 0
            ? new NpgsqlCommand("INSERT INTO catalog_version (version) VALUES ($1) ON CONFLICT DO NOTHING", connection, transaction)
            {
                Parameters = { new() { Value = change.Version } },
            }
            : new NpgsqlCommand("UPDATE catalog_version SET version = $1, updated_at = now() WHERE version = $2", connection, transaction)
            {
                Parameters = { new() { Value = change.Version }, new() { Value = change.ExpectedVersion } },
            })
        {
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw new CatalogVersionConflictException(change.ExpectedVersion);
            }
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        // Parents before children on the way in, children before parents on the way out.
        if (change.UpsertedCourses.Count > 0)
        {
            batch.BatchCommands.Add(UpsertCourses(change.UpsertedCourses));
        }

        if (change.UpsertedLessons.Count > 0)
        {
            batch.BatchCommands.Add(UpsertLessons(change.UpsertedLessons));
        }

        if (change.DeletedLessons.Count > 0)
        {
            batch.BatchCommands.Add(DeleteById("lessons", change.DeletedLessons));
        }

        if (change.DeletedCourses.Count > 0)
        {
            batch.BatchCommands.Add(DeleteById("courses", change.DeletedCourses));
        }

        if (change.Audit.Count > 0)
        {
            batch.BatchCommands.Add(AuditLogInsert.Command(change.Audit));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // In the order given, so new courses take their place in creation order as the snapshot has them.
    private static NpgsqlBatchCommand UpsertCourses(IEnumerable<CatalogCourse> courses) => new("""
        INSERT INTO courses (id, title, description, published, created_at, updated_at)
        SELECT x.id, x.title, x.description, x.published, x.created_at, x.updated_at
        FROM jsonb_array_elements($1) WITH ORDINALITY AS e(course, n)
        CROSS JOIN LATERAL jsonb_to_record(e.course) AS x(id uuid, title text, description text, published boolean,
                                                          created_at timestamptz, updated_at timestamptz)
        ORDER BY e.n
        ON CONFLICT (id) DO UPDATE
            SET title = excluded.title, description = excluded.description, published = excluded.published,
                created_at = excluded.created_at, updated_at = excluded.updated_at
        """)
    {
        Parameters = { JsonbRows.Parameter(courses.Select(c => new { c.Id, c.Title, c.Description, c.Published, c.CreatedAt, c.UpdatedAt })) },
    };

    private static NpgsqlBatchCommand UpsertLessons(IEnumerable<CatalogLesson> lessons) => new("""
        INSERT INTO lessons (id, course_id, title, duration_minutes, sort_order, free_preview, media_file_name,
                             media_content_type, media_bytes, media_sha256, media_duration_seconds, media_uploaded_at,
                             created_at, updated_at)
        SELECT x.id, x.course_id, x.title, x.duration_minutes, x.sort_order, x.free_preview, x.media_file_name,
               x.media_content_type, x.media_bytes, x.media_sha256, x.media_duration_seconds, x.media_uploaded_at,
               x.created_at, x.updated_at
        FROM jsonb_to_recordset($1) AS x(id uuid, course_id uuid, title text, duration_minutes integer, sort_order integer,
                                         free_preview boolean, media_file_name text, media_content_type text, media_bytes bigint,
                                         media_sha256 text, media_duration_seconds double precision,
                                         media_uploaded_at timestamptz, created_at timestamptz, updated_at timestamptz)
        ON CONFLICT (id) DO UPDATE
            SET course_id = excluded.course_id, title = excluded.title, duration_minutes = excluded.duration_minutes,
                sort_order = excluded.sort_order, free_preview = excluded.free_preview,
                media_file_name = excluded.media_file_name, media_content_type = excluded.media_content_type,
                media_bytes = excluded.media_bytes, media_sha256 = excluded.media_sha256,
                media_duration_seconds = excluded.media_duration_seconds, media_uploaded_at = excluded.media_uploaded_at,
                created_at = excluded.created_at, updated_at = excluded.updated_at
        """)
    {
        Parameters =
        {
            JsonbRows.Parameter(lessons.Select(l => new
            {
                l.Id, l.CourseId, l.Title, l.DurationMinutes, SortOrder = l.Order, l.FreePreview,
                MediaFileName = l.Media?.FileName, MediaContentType = l.Media?.ContentType, MediaBytes = l.Media?.Bytes,
                MediaSha256 = l.Media?.Sha256, MediaDurationSeconds = l.Media?.DurationSeconds, MediaUploadedAt = l.Media?.UploadedAt,
                l.CreatedAt, l.UpdatedAt,
            })),
        },
    };

    private static NpgsqlBatchCommand DeleteById(string table, IEnumerable<Guid> ids) =>
        new($"DELETE FROM {table} WHERE id = ANY($1)") { Parameters = { new NpgsqlParameter { Value = ids.ToArray() } } };

    private static DateTimeOffset Timestamp(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
}
