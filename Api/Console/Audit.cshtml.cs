using Learning.Api.Audit;
using Learning.Api.Http;
using Learning.Audit;
using Learning.ReadModel;
using Microsoft.AspNetCore.WebUtilities;

namespace Learning.Api.OperatorConsole;

/// <summary>
/// The audit log, read-only, with the filters of <c>GET /api/audit-logs</c> (read by the same parser); the CSV link
/// carries the same filters to the export's own streaming.
/// </summary>
public sealed class AuditModel(IAuditQuery audit) : ConsolePageModel
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public string? Next { get; private set; }

    public string ExportLink { get; private set; } = ConsolePaths.AuditExport;

    public IEnumerable<string> Actions => AuditEndpoints.Actions.Order(StringComparer.Ordinal);

    public string? Filter(string name) => Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    public async Task OnGetAsync()
    {
        var query = AuditEndpoints.ParseQuery(new QueryReader(Request));
        var page = await audit.QueryAsync(query, HttpContext.RequestAborted);
        Entries = page.Results;
        Next = ConsolePaths.NextPage(Request, QueryReader.EncodeCursor(page.Next));
        ExportLink = QueryHelpers.AddQueryString(ConsolePaths.AuditExport,
            ConsolePaths.AuditFilters.Select(name => KeyValuePair.Create(name, Filter(name))).Where(f => f.Value is not null));
    }
}
