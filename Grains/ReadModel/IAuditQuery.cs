using Learning.Audit;

namespace Learning.ReadModel;

/// <summary>Filters of the audit route; every one is optional. <see cref="After"/> continues a previous page.</summary>
public sealed record AuditQuery(
    string? Action,
    Guid? UserId,
    string? IpAddress,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    int Limit,
    PageCursor? After)
{
    /// <summary>
    /// The query as this caller may run it: admins see everyone's entries; anyone else only their own, so naming
    /// another user matches nothing (null).
    /// </summary>
    public AuditQuery? VisibleTo(Guid callerId, bool isAdmin) =>
        isAdmin ? this
        : UserId is { } named && named != callerId ? null
        : this with { UserId = callerId };
}

/// <summary>Reads the audit log for operators and users, newest first, a page at a time.</summary>
public interface IAuditQuery
{
    Task<Page<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
