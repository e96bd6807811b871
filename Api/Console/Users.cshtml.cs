using Learning.Api.Administration;
using Learning.Api.Http;
using Learning.ReadModel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Learning.Api.OperatorConsole;

/// <summary>The users listing of <c>GET /api/admin/users?q=</c>, paged by cursor.</summary>
public sealed class UsersModel(IOperatorQueries queries) : PageModel
{
    public string? Q { get; private set; }

    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    public string? Next { get; private set; }

    public async Task OnGetAsync()
    {
        var filter = AdminFilters.Users(new QueryReader(Request));
        Q = filter.Search;
        var page = await queries.ListUsersAsync(filter, HttpContext.RequestAborted);
        Users = page.Results;
        Next = ConsolePaths.NextPage(Request, QueryReader.EncodeCursor(page.Next));
    }
}
