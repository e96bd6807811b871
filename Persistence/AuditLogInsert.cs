using Learning.Audit;
using Npgsql;

namespace Learning.Persistence;

/// <summary>
/// The one statement that stores audit entries, added to the batch of whatever change they describe so both commit
/// together. An entry already stored (same id) is skipped, so a retried write never records it twice.
/// </summary>
internal static class AuditLogInsert
{
    public static NpgsqlBatchCommand Command(IEnumerable<AuditEntry> audit) => new("""
        INSERT INTO audit_logs (id, user_id, user_email, action, ip_address, user_agent, metadata, created_at)
        SELECT x.id, x.user_id, x.user_email, x.action, x.ip_address, x.user_agent, x.metadata::jsonb, x.created_at
        FROM jsonb_to_recordset($1) AS x(id uuid, user_id uuid, user_email text, action text, ip_address text,
                                         user_agent text, metadata text, created_at timestamptz)
        ON CONFLICT (id) DO NOTHING
        """)
    {
        Parameters =
        {
            JsonbRows.Parameter(audit.Select(e => new
            {
                e.Id, e.UserId, e.UserEmail, e.Action, e.IpAddress, e.UserAgent, Metadata = e.MetadataJson, e.CreatedAt,
            })),
        },
    };
}
