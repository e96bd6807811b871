using System.Collections.Concurrent;

namespace Learning.Audit;

/// <summary>The audit store of the embedded default: one process, nothing durable.</summary>
public sealed class InMemoryAuditLog : IAuditSink, IAuditQuery
{
    private readonly ConcurrentDictionary<Guid, AuditEntry> _entries = new();

    public Task AppendAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        foreach (var entry in entries)
        {
            _entries.TryAdd(entry.Id, entry);
        }

        return Task.CompletedTask;
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var matches = _entries.Values
            .Where(e => query.Action is null || e.Action == query.Action)
            .Where(e => query.UserId is null || e.UserId == query.UserId)
            .Where(e => query.IpAddress is null || e.IpAddress == query.IpAddress)
            .Where(e => query.Since is null || e.CreatedAt >= query.Since)
            .Where(e => query.Until is null || e.CreatedAt <= query.Until)
            .Where(e => query.After is not { } after || (e.CreatedAt, e.Id).CompareTo((after.CreatedAt, after.Id)) < 0)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Take(query.Limit + 1)
            .ToList();
        var page = matches.Take(query.Limit).ToList();
        AuditCursor? next = matches.Count > query.Limit ? new AuditCursor(page[^1].CreatedAt, page[^1].Id) : null;
        return Task.FromResult(new AuditPage(page, next));
    }
}
