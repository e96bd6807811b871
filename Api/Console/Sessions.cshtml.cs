using Learning.Api.Administration;
using Learning.Api.Http;
using Learning.Catalog;
using Learning.Hosting;
using Learning.ReadModel;
using Microsoft.AspNetCore.Mvc;

namespace Learning.Api.OperatorConsole;

/// <summary>
/// Playback sessions (live ones unless asked otherwise) with the filters of <c>GET /api/admin/sessions</c>: watch time
/// against the lesson's length and the age of the last heartbeat; ending one is <c>POST /api/admin/sessions/{id}/end</c>.
/// </summary>
public sealed class SessionsModel(IOperatorQueries queries, ICatalogSnapshots catalog, OperatorCommands commands) : ConsolePageModel
{
    public IReadOnlyList<SessionRow> Sessions { get; private set; } = [];

    public string? Next { get; private set; }

    public string Back { get; private set; } = ConsolePaths.Sessions;

    public DateTimeOffset Now { get; private set; }

    private CatalogSnapshot _catalog = CatalogSnapshot.Empty;

    public string? Filter(string name) => Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>The lesson's length in seconds as playback bounds it, or null for a lesson no longer in the catalog.</summary>
    public int? LessonSeconds(Guid lessonId) => _catalog.FindLesson(lessonId) is { } lesson ? LessonLength.Seconds(lesson) : null;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Request.Query.ContainsKey("live"))
        {
            // The page opens on what operators watch: the sessions playing now.
            return LocalRedirect($"{ConsolePaths.Sessions}?live=true");
        }

        var page = await queries.ListSessionsAsync(AdminFilters.Sessions(new QueryReader(Request)), HttpContext.RequestAborted);
        Sessions = page.Results;
        Next = ConsolePaths.NextPage(Request, QueryReader.EncodeCursor(page.Next));
        Back = Request.Path + Request.QueryString;
        _catalog = await catalog.GetAsync(HttpContext.RequestAborted);
        Now = HttpContext.RequestServices.GetRequiredKeyedService<TimeProvider>(Clock.ServiceKey).GetUtcNow();
        return Page();
    }

    public async Task<IActionResult> OnPostEndAsync(Guid id, string? back) =>
        After(await commands.EndSessionAsync(id, Admin, HttpContext.RequestAborted), "Session ended.", ConsolePaths.SafeReturn(back, ConsolePaths.Sessions));
}
