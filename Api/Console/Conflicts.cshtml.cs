using Learning.Api.Administration;
using Learning.Api.Http;
using Learning.ReadModel;

namespace Learning.Api.OperatorConsole;

/// <summary>Refused starts (another device was playing), as <c>GET /api/admin/playback-conflicts</c> lists them.</summary>
public sealed class ConflictsModel(IAuditQuery audit) : ConsolePageModel
{
    public IReadOnlyList<PlaybackConflictResponse> Conflicts { get; private set; } = [];

    public string? Next { get; private set; }

    public string? Filter(string name) => Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    public async Task OnGetAsync()
    {
        var page = await audit.QueryAsync(AdminFilters.Conflicts(new QueryReader(Request)), HttpContext.RequestAborted);
        Conflicts = [.. page.Results.Select(PlaybackConflictResponse.From)];
        Next = ConsolePaths.NextPage(Request, QueryReader.EncodeCursor(page.Next));
    }
}
