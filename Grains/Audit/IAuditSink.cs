using Learning.Audit;

namespace Learning.Audit;

/// <summary>
/// Where audit entries end up. Writes must be idempotent by <see cref="AuditEntry.Id"/>: grains re-send
/// entries whose earlier delivery they cannot be sure of.
/// </summary>
public interface IAuditSink
{
    Task AppendAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken = default);
}
