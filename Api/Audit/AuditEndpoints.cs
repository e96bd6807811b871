using System.Globalization;
using System.Text.Json;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Audit;

namespace Learning.Api.Audit;

public static class AuditEndpoints
{
    public sealed record AuditEntryResponse(
        Guid Id, Guid? UserId, string? UserEmail, string Action, string? IpAddress, string? UserAgent, JsonElement Metadata, DateTimeOffset CreatedAt);

    public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Results, string? NextCursor);

    private static readonly HashSet<string> Actions = typeof(AuditActions).GetFields()
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit-logs", List).WithTags("Audit log").RequireAuthorization();
        return app;
    }

    private static async Task<IResult> List(IAuditQuery audit, HttpContext http)
    {
        var caller = http.RequireCaller();
        var query = ParseQuery(http.Request);
        // Admins see everyone; anyone else only themselves, so naming another user simply matches nothing.
        if (!http.User.IsInRole("admin"))
        {
            if (query.UserId is { } named && named != caller.UserId)
            {
                return TypedResults.Ok(new AuditPageResponse([], null));
            }

            query = query with { UserId = caller.UserId };
        }

        var page = await audit.QueryAsync(query, http.RequestAborted);
        return TypedResults.Ok(new AuditPageResponse(
            page.Results.Select(e => new AuditEntryResponse(
                e.Id, e.UserId, e.UserEmail, e.Action, e.IpAddress, e.UserAgent,
                JsonDocument.Parse(e.MetadataJson).RootElement.Clone(), e.CreatedAt)).ToList(),
            page.Next is { } next ? PageRequest.EncodeCursor(next.CreatedAt, next.Id) : null));
    }

    private static AuditQuery ParseQuery(HttpRequest request)
    {
        var errors = new RequestErrors();
        var page = PageRequest.From(request, errors);
        var q = request.Query;

        var action = Optional(q["action"]);
        if (action is not null && !Actions.Contains(action))
        {
            errors.Add("action", "Unknown action.");
        }

        Guid? userId = null;
        if (Optional(q["user_id"]) is { } rawUser)
        {
            if (Guid.TryParse(rawUser, out var parsed))
            {
                userId = parsed;
            }
            else
            {
                errors.Add("user_id", "Must be a UUID.");
            }
        }

        var since = Timestamp(q["since"], "since", errors);
        var until = Timestamp(q["until"], "until", errors);
        AuditCursor? after = null;
        if (page.Cursor is { } cursor)
        {
            if (PageRequest.TryDecodeCursor(cursor, out var at, out var id))
            {
                after = new AuditCursor(at, id);
            }
            else
            {
                errors.Add("cursor", "Not a cursor this service handed out.");
            }
        }

        PageRequest.ThrowIfInvalid(errors);
        return new AuditQuery(action, userId, Optional(q["ip_address"]), since, until, page.Limit, after);
    }

    private static string? Optional(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is { Length: > 0 } s ? s : null;

    private static DateTimeOffset? Timestamp(Microsoft.Extensions.Primitives.StringValues value, string field, RequestErrors errors)
    {
        if (Optional(value) is not { } raw)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        errors.Add(field, "Must be an ISO 8601 timestamp, e.g. 2026-11-24T10:00:00Z.");
        return null;
    }
}
