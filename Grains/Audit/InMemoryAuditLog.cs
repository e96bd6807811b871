using System.Collections.Concurrent;

namespace Learning.Audit;

/// <summary>The audit store of the embedded default: one process, nothing durable.</summary>
public sealed class InMemoryAuditLog : IAuditSink
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

    public IReadOnlyList<AuditEntry> Snapshot() => _entries.Values.OrderByDescending(e => e.CreatedAt).ToList();
}
