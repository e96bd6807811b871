using Learning.Audit;

namespace Learning.ReadModel;

/// <summary>
/// Keeps the tables operators query in step with the grains. Both parts are idempotent: a snapshot older than
/// the stored one is ignored and an audit entry already stored (same id) is skipped, so grains may safely send
/// again whatever they are not sure arrived.
/// </summary>
public interface IReadModelWriter
{
    Task WriteAsync(UserSnapshot? user, IReadOnlyCollection<AuditEntry> audit, CancellationToken cancellationToken = default);
}
