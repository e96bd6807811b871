using System.Collections.Concurrent;
using Learning.Access;
using Learning.Audit;
using Learning.Hosting;
using Learning.Playback;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Learning.ReadModel;

/// <summary>
/// The read model of the embedded default: what the PostgreSQL tables hold, in this process's memory.
/// Like the tables, it keeps every session it was ever shown, not only those the grain still keeps.
/// </summary>
public sealed class InMemoryReadModel(
    [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock, IOptions<PlaybackOptions> playback) : IReadModelWriter, IAuditQuery, IOperatorQueries
{
    private readonly ConcurrentDictionary<Guid, UserSnapshot> _users = new();
    private readonly ConcurrentDictionary<Guid, (Guid UserId, PlaybackSession Session)> _sessions = new();
    private readonly ConcurrentDictionary<Guid, AuditEntry> _audit = new();

    public Task WriteAsync(UserSnapshot? user, IReadOnlyCollection<AuditEntry> audit, CancellationToken cancellationToken = default)
    {
        if (user is not null)
        {
            var stored = _users.AddOrUpdate(user.UserId, user, (_, existing) => existing.Version < user.Version ? user : existing);
            if (ReferenceEquals(stored, user))
            {
                foreach (var session in user.Sessions)
                {
                    _sessions[session.Id] = (user.UserId, session);
                }
            }
        }

        foreach (var entry in audit)
        {
            _audit.TryAdd(entry.Id, entry);
        }

        return Task.CompletedTask;
    }

    public Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var rows = _audit.Values
            .Where(e => query.Action is null || e.Action == query.Action)
            .Where(e => query.UserId is null || e.UserId == query.UserId)
            .Where(e => query.IpAddress is null || e.IpAddress == query.IpAddress)
            .Where(e => query.Since is null || e.CreatedAt >= query.Since)
            .Where(e => query.Until is null || e.CreatedAt <= query.Until)
            .Where(e => Paging.IsAfter(e.CreatedAt, e.Id, query.After));
        return Task.FromResult(NewestFirst(rows, e => new PageCursor(e.CreatedAt, e.Id), query.Limit));
    }

    public Task<Page<UserRow>> ListUsersAsync(UserFilter filter, CancellationToken cancellationToken = default)
    {
        var window = LiveSessionWindow.Current(clock, playback.Value);
        var rows = _users.Values
            .Where(u => filter.Email is null || u.Email.Contains(filter.Email, StringComparison.OrdinalIgnoreCase))
            .Where(u => Paging.IsAfter(u.CreatedAt, u.UserId, filter.After))
            .Select(u => new UserRow(u.UserId, u.Email, u.FullName, u.Role, u.CreatedAt,
                u.Devices.Count(d => d.IsActive),
                _sessions.Values.Count(s => s.UserId == u.UserId && window.IsLive(s.Session))));
        return Task.FromResult(NewestFirst(rows, u => new PageCursor(u.CreatedAt, u.Id), filter.Limit));
    }

    public Task<Page<DeviceRow>> ListDevicesAsync(DeviceFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = _users.Values
            .Where(u => filter.UserId is null || u.UserId == filter.UserId)
            .SelectMany(u => u.Devices.Select(d => new DeviceRow(
                d.Id, d.DeviceId, d.DeviceName, d.Platform, d.IsActive, d.CreatedAt, d.LastAccessed, u.UserId, u.Email)))
            .Where(d => filter.Platform is null || d.Platform == filter.Platform)
            .Where(d => filter.IsActive is null || d.IsActive == filter.IsActive)
            .Where(d => Paging.IsAfter(d.CreatedAt, d.Id, filter.After));
        return Task.FromResult(NewestFirst(rows, d => new PageCursor(d.CreatedAt, d.Id), filter.Limit));
    }

    public Task<Page<SessionRow>> ListSessionsAsync(SessionFilter filter, CancellationToken cancellationToken = default)
    {
        var window = LiveSessionWindow.Current(clock, playback.Value);
        var rows = _sessions.Values
            .Where(s => filter.UserId is null || s.UserId == filter.UserId)
            .Where(s => filter.LessonId is null || s.Session.LessonId == filter.LessonId)
            .Select(s => ToRow(s.UserId, s.Session, window))
            .Where(s => filter.Live is null || s.Live == filter.Live)
            .Where(s => Paging.IsAfter(s.StartedAt, s.Id, filter.After));
        return Task.FromResult(NewestFirst(rows, s => new PageCursor(s.StartedAt, s.Id), filter.Limit));
    }

    public Task<Page<SubscriptionRow>> ListSubscriptionsAsync(SubscriptionFilter filter, CancellationToken cancellationToken = default)
    {
        var rows = _users.Values
            .Where(u => u.Access.Subscription is not null)
            .Where(u => filter.UserId is null || u.UserId == filter.UserId)
            .Where(u => filter.EmailPrefix is null || u.Email.StartsWith(filter.EmailPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(u => (User: u, Subscription: u.Access.Subscription!))
            .Select(x => new SubscriptionRow(x.User.UserId, x.User.Email, AccessRules.StatusOf(x.Subscription), x.Subscription.PlanId,
                x.Subscription.CurrentPeriodEnd, x.Subscription.CancelAtPeriodEnd, x.Subscription.UpdatedAt))
            .Where(r => filter.Status is null || r.Status == filter.Status)
            .Where(r => Paging.IsAfter(r.UpdatedAt, r.UserId, filter.After));
        return Task.FromResult(NewestFirst(rows, r => new PageCursor(r.UpdatedAt, r.UserId), filter.Limit));
    }

    public Task<Guid?> FindDeviceOwnerAsync(Guid deviceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_users.Values.FirstOrDefault(u => u.Devices.Any(d => d.Id == deviceId))?.UserId);

    private SessionRow ToRow(Guid userId, PlaybackSession s, LiveSessionWindow window) =>
        new(s.Id, userId, _users.TryGetValue(userId, out var user) ? user.Email : "", s.DeviceId, s.DeviceName, s.LessonId, s.LessonTitle,
            s.StartedAt, s.LastHeartbeat, s.ExpiresAt, s.EndedAt, s.EndReason, s.WatchTimeSeconds,
            window.IsLive(s));

    private static Page<T> NewestFirst<T>(IEnumerable<T> rows, Func<T, PageCursor> positionOf, int limit) =>
        Paging.Cut(rows.OrderByDescending(r => positionOf(r).At).ThenByDescending(r => positionOf(r).Id).Take(limit + 1).ToList(), limit, positionOf);
}
