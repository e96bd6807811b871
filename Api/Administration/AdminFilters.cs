using Learning.Api.Http;
using Learning.Common;
using Learning.Audit;
using Learning.Devices;
using Learning.ReadModel;

namespace Learning.Api.Administration;

/// <summary>
/// The admin listings' query parameters, read one way for the REST routes and the console pages alike; each answers
/// 400 <c>validation_error</c> naming every bad parameter.
/// </summary>
public static class AdminFilters
{
    /// <summary>Longest <c>q</c> taken: longer than any email or name, so longer text can only be a mistake.</summary>
    private const int MaxSearchLength = 320;

    public static UserFilter Users(QueryReader query)
    {
        var email = query.Text("email");
        var search = Search(query);
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        return new UserFilter(email, limit, after) { Search = search };
    }

    public static DeviceFilter Devices(QueryReader query)
    {
        var platform = query.OneOf<Platform>("platform", PlatformNames.TryParse, PlatformNames.All);
        var filter = new DeviceFilter(query.Guid("user_id"), platform, query.Bool("is_active"), 0, null) { OwnerEmailPrefix = Search(query) };
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        return filter with { Limit = limit, After = after };
    }

    public static SessionFilter Sessions(QueryReader query)
    {
        var live = query.Bool("live");
        var userId = query.Guid("user_id");
        var search = Search(query);
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        return new SessionFilter(live, userId, limit, after) { OwnerEmailPrefix = search };
    }

    /// <summary>Refused starts are the <c>video_start_refused</c> entries of the audit log.</summary>
    public static AuditQuery Conflicts(QueryReader query)
    {
        var userId = query.Guid("user_id");
        var since = query.Timestamp("since");
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        return new AuditQuery(AuditActions.VideoStartRefused, userId, null, since, null, limit, after);
    }

    private static string? Search(QueryReader query)
    {
        var q = query.Text("q");
        if (q is { Length: > MaxSearchLength })
        {
            query.Reject("q", $"Ensure this field has no more than {MaxSearchLength} characters.");
        }

        return q;
    }
}
