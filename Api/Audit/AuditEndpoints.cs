using System.Text.Json;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Audit;
using Learning.Common;
using Learning.ReadModel;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Audit;

public static class AuditEndpoints
{
    public sealed record AuditEntryResponse(
        Guid Id, Guid? UserId, string? UserEmail, string Action, string? IpAddress, string? UserAgent, JsonElement Metadata,
        DateTimeOffset CreatedAt);

    public static readonly HashSet<string> Actions = typeof(AuditActions).GetFields()
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit-logs", List)
            .WithTags("Audit log")
            .RequireAuthorization()
            .Documented("Audit entries, newest first (admins: everyone's)",
                ErrorCodes.ValidationError, ErrorCodes.NotAuthenticated)
            .WithQuery([
                new("action", "Only entries of this action.", Values: [.. Actions.Order(StringComparer.Ordinal)]),
                new("user_id", "Only this user's entries (admins; others see only their own).", Format: "uuid"),
                new("ip_address", "Only entries from this client IP."),
                new("since", "Entries at or after this ISO 8601 time.", Format: "date-time"),
                new("until", "Entries before this ISO 8601 time.", Format: "date-time"),
                .. EndpointDocs.Paging,
            ]);
        app.MapGet("/api/audit-logs/export", Export)
            .WithTags("Audit log")
            .RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Documented("Every audit entry matching the filters, newest first, as CSV (admins)",
                ErrorCodes.ValidationError, ErrorCodes.NotAuthenticated, ErrorCodes.Forbidden)
            .WithQuery([
                new("action", "Only entries of this action.", Values: [.. Actions.Order(StringComparer.Ordinal)]),
                new("user_id", "Only this user's entries.", Format: "uuid"),
                new("ip_address", "Only entries from this client IP."),
                new("since", "Entries at or after this ISO 8601 time.", Format: "date-time"),
                new("until", "Entries before this ISO 8601 time.", Format: "date-time"),
            ]);
        return app;
    }

    /// <summary>Rows read from the read model per round trip while streaming an export.</summary>
    private const int ExportBatch = 500;

    /// <summary>
    /// Streams the whole result a page at a time (the same keyset paging as the listing), so an export of millions of
    /// entries holds one page in memory. <c>limit</c> and <c>cursor</c> are checked but do not apply: the export is whole.
    /// </summary>
    public static PushStreamHttpResult Export(IAuditQuery audit, HttpContext http)
    {
        var query = ParseQuery(new QueryReader(http.Request)) with { Limit = ExportBatch, After = null };
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
            await writer.WriteAsync(AuditCsv.Header);
            var next = query;
            while (true)
            {
                var page = await audit.QueryAsync(next, http.RequestAborted);
                foreach (var entry in page.Results)
                {
                    await writer.WriteAsync(AuditCsv.Row(entry));
                }

                await writer.FlushAsync(http.RequestAborted);
                if (page.Next is not { } after)
                {
                    break;
                }

                next = next with { After = after };
            }
        }, AuditCsv.ContentType, fileDownloadName: "audit-log.csv");
    }

    private static async Task<Ok<PageResponse<AuditEntryResponse>>> List(IAuditQuery audit, HttpContext http)
    {
        var caller = http.RequireCaller();
        var query = ParseQuery(new QueryReader(http.Request))
            .VisibleTo(caller.UserId, http.CallerIsAdmin());
        if (query is null)
        {
            return TypedResults.Ok(new PageResponse<AuditEntryResponse>([], null));
        }

        var page = await audit.QueryAsync(query, http.RequestAborted);
        return TypedResults.Ok(new PageResponse<AuditEntryResponse>(
            page.Results.Select(e => new AuditEntryResponse(
                e.Id, e.UserId, e.UserEmail, e.Action, e.IpAddress, e.UserAgent,
                JsonDocument.Parse(e.MetadataJson).RootElement.Clone(), e.CreatedAt)).ToList(),
            QueryReader.EncodeCursor(page.Next)));
    }

    /// <summary>The listing's and the export's filters (also the console's audit page); 400 naming every bad one.</summary>
    public static AuditQuery ParseQuery(QueryReader query)
    {
        var action = query.Text("action");
        if (action is not null && !Actions.Contains(action))
        {
            query.Reject("action", $"Unknown action; use one of {string.Join(", ", Actions.Order(StringComparer.Ordinal))}.");
        }

        var userId = query.Guid("user_id");
        var since = query.Timestamp("since");
        var until = query.Timestamp("until");
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        return new AuditQuery(action, userId, query.Text("ip_address"), since, until, limit, after);
    }
}
