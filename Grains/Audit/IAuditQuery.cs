namespace Learning.Audit;

/// <summary>Filters of the audit route; every one is optional. <see cref="After"/> continues a previous page.</summary>
public sealed record AuditQuery(
    string? Action,
    Guid? UserId,
    string? IpAddress,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    int Limit,
    AuditCursor? After);

/// <summary>A position in the newest-first order: entries strictly older than it come next.</summary>
public readonly record struct AuditCursor(DateTimeOffset CreatedAt, Guid Id);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Results, AuditCursor? Next);

/// <summary>Reads the audit log for operators and users, newest first, a page at a time.</summary>
public interface IAuditQuery
{
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
