using Learning.Api.Access;
using Learning.Api.Http;
using Learning.ReadModel;

namespace Learning.Api.OperatorConsole;

/// <summary>Users' subscriptions, most recently changed first, as <c>GET /api/admin/subscriptions</c> lists them.</summary>
public sealed class SubscriptionsModel(IOperatorQueries queries) : ConsolePageModel
{
    public IReadOnlyList<SubscriptionRow> Subscriptions { get; private set; } = [];

    public string? Next { get; private set; }

    public IReadOnlyList<string> Statuses => AccessEndpoints.ListedStatuses;

    public string? Filter(string name) => Request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    public async Task OnGetAsync()
    {
        var page = await queries.ListSubscriptionsAsync(AccessEndpoints.SubscriptionFilterOf(new QueryReader(Request)), HttpContext.RequestAborted);
        Subscriptions = page.Results;
        Next = ConsolePaths.NextPage(Request, QueryReader.EncodeCursor(page.Next));
    }
}
