using Learning.Common;
using System.Text;
using Learning.Access;
using Learning.Accounts;
using Learning.Audit;
using Learning.Devices;
using Learning.Hosting;
using Learning.Playback;
using Learning.ReadModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Learning.Persistence;

/// <summary>
/// The read model in PostgreSQL (tables of <c>0002_read_model.sql</c>). A snapshot and its audit entries go in
/// one round trip and one transaction; both are idempotent, so grains may send them again.
/// </summary>
public sealed class PostgresReadModel(
    NpgsqlDataSource dataSource, [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock, IOptions<PlaybackOptions> playback)
    : IReadModelWriter, IAuditQuery, IOperatorQueries
{
    /// <summary>
    /// <see cref="LiveSessionWindow.IsLive(PlaybackSession)"/> over <c>video_sessions s</c>, the only place it is written in
    /// SQL: <c>{0}</c> binds the window's <c>Now</c>, <c>{1}</c> its <c>HeartbeatSince</c> (see <see cref="LiveValues"/>).
    /// </summary>
    private const string LiveSession = "(s.ended_at IS NULL AND s.expires_at > {0} AND s.last_heartbeat >= {1})";

    public Task WriteAsync(UserSnapshot? user, IReadOnlyCollection<AuditEntry> audit, CancellationToken cancellationToken = default) =>
        TransientRetry.Pipeline.ExecuteAsync(async token =>
        {
            await using var batch = WriteBatch(user, audit);
            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(token);
            }
        }, cancellationToken).AsTask();

    private NpgsqlBatch WriteBatch(UserSnapshot? user, IReadOnlyCollection<AuditEntry> audit)
    {
        var batch = dataSource.CreateBatch();
        if (user is not null)
        {
            batch.BatchCommands.Add(Command("SELECT publish_user_snapshot($1, $2, $3, $4, $5, $6, $7, $8)",
                user.UserId, user.Version, user.Email, user.FullName, user.Role.WireName(), user.CreatedAt,
                JsonbRows.Parameter(user.Devices.Select(d => new
                {
                    d.Id, d.DeviceId, d.DeviceName, Platform = d.Platform.WireName(), d.IsActive, d.CreatedAt, d.LastAccessed,
                })),
                JsonbRows.Parameter(user.Sessions.Select(s => new
                {
                    s.Id, s.DeviceId, s.DeviceName, s.LessonId, s.LessonTitle, s.StartedAt, s.LastHeartbeat, s.ExpiresAt,
                    s.EndedAt, s.EndReason, s.WatchTimeSeconds,
                }))));
            // Same batch, so the same transaction; it applies only if the snapshot above did (same version).
            var subscription = user.Access.Subscription;
            batch.BatchCommands.Add(Command("SELECT publish_user_access($1, $2, $3, $4)",
                user.UserId, user.Version,
                JsonbRows.Parameter(subscription is null ? [] : new[]
                {
                    new
                    {
                        subscription.SubscriptionId, subscription.CustomerId, Status = AccessRules.StatusOf(subscription), subscription.PlanId,
                        subscription.CurrentPeriodEnd, subscription.CancelAtPeriodEnd, subscription.TrialEnd, subscription.PastDueSince,
                        subscription.UpdatedAt,
                    },
                }),
                JsonbRows.Parameter(user.Access.Grants.Select(g => new { g.Id, g.Until, g.Reason, g.CreatedAt, g.ActorId }))));
        }

        if (audit.Count > 0)
        {
            batch.BatchCommands.Add(AuditLogInsert.Command(audit));
        }

        return batch;
    }

    public async Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new Filtered("""
            SELECT id, user_id, user_email, action, ip_address, user_agent, metadata::text, created_at FROM audit_logs
            """);
        sql.Where("action = {0}", query.Action);
        sql.Where("user_id = {0}", query.UserId);
        sql.Where("ip_address = {0}", query.IpAddress);
        sql.Where("created_at >= {0}", query.Since);
        sql.Where("created_at <= {0}", query.Until);
        sql.After("created_at", "id", query.After);
        var rows = await sql.ReadAsync(dataSource, "created_at DESC, id DESC", query.Limit + 1, r => new AuditEntry(
            r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1), Text(r, 2), r.GetString(3), Text(r, 4), Text(r, 5),
            r.GetString(6), Timestamp(r, 7)), cancellationToken);
        return Paging.Cut(rows, query.Limit, e => new PageCursor(e.CreatedAt, e.Id));
    }

    public async Task<Page<UserRow>> ListUsersAsync(UserFilter filter, CancellationToken cancellationToken = default)
    {
        var sql = new Filtered($"""
            SELECT u.id, u.email, u.full_name, u.role, u.created_at,
                   (SELECT count(*) FROM devices d WHERE d.user_id = u.id AND d.is_active)::int,
                   (SELECT count(*) FROM video_sessions s WHERE s.user_id = u.id AND {LiveSession})::int
            FROM users u
            """, LiveValues());
        sql.Where("u.email ILIKE '%' || {0} || '%' ESCAPE '\\'", filter.Email?.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_"));
        // Two prefix indexes (0008_admin.sql) answer the OR as a bitmap scan.
        sql.Where("(lower(u.email) LIKE {0} ESCAPE '\\' OR lower(u.full_name) LIKE {0} ESCAPE '\\')", PrefixSearch.LikePattern(filter.Search));
        sql.After("u.created_at", "u.id", filter.After);
        var rows = await sql.ReadAsync(dataSource, "u.created_at DESC, u.id DESC", filter.Limit + 1, r => new UserRow(
            r.GetGuid(0), r.GetString(1), r.GetString(2), Enum.Parse<Role>(r.GetString(3), ignoreCase: true), Timestamp(r, 4),
            r.GetInt32(5), r.GetInt32(6)), cancellationToken);
        return Paging.Cut(rows, filter.Limit, u => new PageCursor(u.CreatedAt, u.Id));
    }

    public async Task<Page<DeviceRow>> ListDevicesAsync(DeviceFilter filter, CancellationToken cancellationToken = default)
    {
        var sql = new Filtered("""
            SELECT d.id, d.device_id, d.device_name, d.platform, d.is_active, d.created_at, d.last_accessed, d.user_id, u.email
            FROM devices d JOIN users u ON u.id = d.user_id
            """);
        sql.Where("d.user_id = {0}", filter.UserId);
        sql.Where("d.platform = {0}", filter.Platform?.WireName());
        sql.Where("d.is_active = {0}", filter.IsActive);
        sql.Where("lower(u.email) LIKE {0} ESCAPE '\\'", PrefixSearch.LikePattern(filter.OwnerEmailPrefix));
        sql.After("d.created_at", "d.id", filter.After);
        var rows = await sql.ReadAsync(dataSource, "d.created_at DESC, d.id DESC", filter.Limit + 1, r => new DeviceRow(
            r.GetGuid(0), r.GetString(1), r.GetString(2), Enum.Parse<Platform>(r.GetString(3), ignoreCase: true), r.GetBoolean(4),
            Timestamp(r, 5), Timestamp(r, 6), r.GetGuid(7), r.GetString(8)), cancellationToken);
        return Paging.Cut(rows, filter.Limit, d => new PageCursor(d.CreatedAt, d.Id));
    }

    public async Task<Page<SessionRow>> ListSessionsAsync(SessionFilter filter, CancellationToken cancellationToken = default)
    {
        var window = LiveValues();
        var sql = new Filtered($"""
            SELECT s.id, s.user_id, u.email, s.device_id, s.device_name, s.lesson_id, s.lesson_title, s.started_at,
                   s.last_heartbeat, s.expires_at, s.ended_at, s.end_reason, s.watch_time_seconds, {LiveSession}
            FROM video_sessions s JOIN users u ON u.id = s.user_id
            """, window);
        if (filter.Live is { } wanted)
        {
            sql.Where(wanted ? LiveSession : $"NOT {LiveSession}", window);
        }

        sql.Where("s.user_id = {0}", filter.UserId);
        sql.Where("s.lesson_id = {0}", filter.LessonId);
        sql.Where("lower(u.email) LIKE {0} ESCAPE '\\'", PrefixSearch.LikePattern(filter.OwnerEmailPrefix));
        sql.After("s.started_at", "s.id", filter.After);
        var rows = await sql.ReadAsync(dataSource, "s.started_at DESC, s.id DESC", filter.Limit + 1, r => new SessionRow(
            r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetGuid(5), r.GetString(6),
            Timestamp(r, 7), Timestamp(r, 8), Timestamp(r, 9), r.IsDBNull(10) ? null : Timestamp(r, 10), Text(r, 11),
            r.GetDouble(12), r.GetBoolean(13)), cancellationToken);
        return Paging.Cut(rows, filter.Limit, s => new PageCursor(s.StartedAt, s.Id));
    }

    public async Task<Page<SubscriptionRow>> ListSubscriptionsAsync(SubscriptionFilter filter, CancellationToken cancellationToken = default)
    {
        var sql = new Filtered("""
            SELECT s.user_id, u.email, s.status, s.plan_id, s.current_period_end, s.cancel_at_period_end, s.updated_at
            FROM subscriptions s JOIN users u ON u.id = s.user_id
            """);
        sql.Where("s.status = {0}", filter.Status);
        sql.Where("s.user_id = {0}", filter.UserId);
        sql.Where("lower(u.email) LIKE {0} || '%' ESCAPE '\\'", filter.EmailPrefix?.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_"));
        sql.After("s.updated_at", "s.user_id", filter.After);
        var rows = await sql.ReadAsync(dataSource, "s.updated_at DESC, s.user_id DESC", filter.Limit + 1, r => new SubscriptionRow(
            r.GetGuid(0), r.GetString(1), r.GetString(2), Text(r, 3), r.IsDBNull(4) ? null : Timestamp(r, 4), r.GetBoolean(5),
            Timestamp(r, 6)), cancellationToken);
        return Paging.Cut(rows, filter.Limit, x => new PageCursor(x.UpdatedAt, x.UserId));
    }

    public Task<Guid?> FindDeviceOwnerAsync(Guid deviceId, CancellationToken cancellationToken = default) =>
        OwnerAsync("SELECT user_id FROM devices WHERE id = $1", deviceId, cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, Guid>> FindDeviceOwnersAsync(
        IReadOnlyCollection<Guid> deviceIds, CancellationToken cancellationToken = default)
    {
        var rows = await ReadAsync(dataSource, "SELECT id, user_id FROM devices WHERE id = ANY($1)", [deviceIds.ToArray()],
            r => (Device: r.GetGuid(0), Owner: r.GetGuid(1)), cancellationToken);
        return rows.ToDictionary(row => row.Device, row => row.Owner);
    }

    public Task<Guid?> FindSessionOwnerAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        OwnerAsync("SELECT user_id FROM video_sessions WHERE id = $1", sessionId, cancellationToken);

    /// <summary>The owning user of the row <paramref name="sql"/> finds by <paramref name="id"/>; null when there is none.</summary>
    private async Task<Guid?> OwnerAsync(string sql, Guid id, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(dataSource, sql, [id], r => r.GetGuid(0), cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <summary>Every query of the read model: rows mapped as they are read, retried on a fresh connection after a transient failure.</summary>
    private static async Task<List<T>> ReadAsync<T>(
        NpgsqlDataSource source, string sql, IReadOnlyList<object> values, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken) =>
        await TransientRetry.Pipeline.ExecuteAsync(async token =>
        {
            await using var command = source.CreateCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync(token);
            var rows = new List<T>();
            while (await reader.ReadAsync(token))
            {
                rows.Add(map(reader));
            }

            return rows;
        }, cancellationToken);

    /// <summary>The values <see cref="LiveSession"/> binds, for the business clock's current time.</summary>
    private object[] LiveValues()
    {
        var window = LiveSessionWindow.Current(clock, playback.Value);
        return [window.Now, window.HeartbeatSince];
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset Timestamp(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>
    /// A SELECT with only the filters that were given, as positional parameters: a fixed statement with
    /// "param IS NULL OR ..." for every filter would keep PostgreSQL from using the matching index.
    /// </summary>
    private sealed class Filtered
    {
        private readonly StringBuilder _sql;
        private readonly List<object> _values = [];
        private readonly List<string> _conditions = [];

        public Filtered(string select, params object[] values) => _sql = new StringBuilder(Bind(select, values));

        public void Where(string condition, params object?[] values)
        {
            if (values.All(v => v is not null))
            {
                _conditions.Add(Bind(condition, values!));
            }
        }

        public void After(string timeColumn, string idColumn, PageCursor? cursor)
        {
            if (cursor is { } c)
            {
                _conditions.Add(Bind($"({timeColumn}, {idColumn}) < ({{0}}, {{1}})", [c.At, c.Id]));
            }
        }

        public Task<List<T>> ReadAsync<T>(
            NpgsqlDataSource source, string orderBy, int limit, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
        {
            if (_conditions.Count > 0)
            {
                _sql.Append(" WHERE ").AppendJoin(" AND ", _conditions);
            }

            _sql.Append(" ORDER BY ").Append(orderBy).Append(" LIMIT ").Append(limit);
            return PostgresReadModel.ReadAsync(source, _sql.ToString(), _values, map, cancellationToken);
        }

        private string Bind(string template, object[] values)
        {
            var placeholders = new object[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                _values.Add(values[i]);
                placeholders[i] = $"${_values.Count}";
            }

            return string.Format(System.Globalization.CultureInfo.InvariantCulture, template, placeholders);
        }
    }
}
