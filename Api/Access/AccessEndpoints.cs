using System.Globalization;
using Learning.Access;
using Learning.Accounts;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Common;
using Learning.ReadModel;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Access;

/// <summary>
/// Access routes (docs/access.md): a user's own subscription and access, and the operators' grants and subscriptions
/// listing. Decisions are the user's grain's; the listing reads the read model, as the other admin listings do.
/// </summary>
public static class AccessEndpoints
{
    public sealed record AccessResponse(bool HasAccess, string? Source, DateTimeOffset? Until);

    public sealed record SubscriptionResponse(
        string Status, string? PlanId, DateTimeOffset? CurrentPeriodEnd, bool CancelAtPeriodEnd, DateTimeOffset? TrialEnd, AccessResponse Access);

    public sealed record GrantResponse(Guid Id, DateTimeOffset Until, string Reason, DateTimeOffset CreatedAt, Guid ActorId);

    /// <summary><c>until</c> is read as text so a bad timestamp is a field error like any other (and is documented as a string).</summary>
    public sealed record GrantRequest(string? Until, string? Reason) : IRequestBody
    {
        public void Validate(RequestErrors errors)
        {
            if (Until is null)
            {
                errors.Add("until", "This field is required.");
            }
            else if (UntilTime is null)
            {
                errors.Add("until", "Must be an ISO 8601 timestamp, e.g. 2026-11-24T10:00:00Z.");
            }

            errors.RequireText("reason", Reason, AccessRules.MaxReasonLength);
        }

        public DateTimeOffset? UntilTime => DateTimeOffset.TryParse(Until, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var until) ? until : null;
    }

    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/subscription", GetSubscription)
            .WithTags("Access and subscriptions")
            .RequireAuthorization()
            .Documented("The caller's subscription and whether they may watch now", ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);

        var admin = app.MapGroup("/api/admin")
            .WithTags("Access and subscriptions")
            .RequireAuthorization(AuthenticationSetup.AdminPolicy);
        admin.MapGet("/subscriptions", ListSubscriptions)
            .Documented("Users' subscriptions, the most recently changed first", ErrorCodes.Forbidden, ErrorCodes.ValidationError)
            .WithQuery([
                new("status", "Only subscriptions with this status.", Values: [.. ListedStatuses]),
                new("user_id", "Only this user's subscription.", Format: "uuid"),
                new("q", "Only users whose email starts with this text (case-insensitive)."),
                .. EndpointDocs.Paging,
            ]);
        admin.MapPost("/users/{id}/grants", AddGrant)
            .Documented<GrantRequest>("Grant a user access until a time", ErrorCodes.Forbidden, ErrorCodes.UserNotFound);
        admin.MapDelete("/users/{id}/grants/{grantId}", RevokeGrant)
            .Documented("Revoke a grant; live sessions end if access went with it", ErrorCodes.Forbidden, ErrorCodes.GrantNotFound);
        return app;
    }

    /// <summary>The statuses a stored subscription can have (<c>none</c> is the absence of one, never listed).</summary>
    public static readonly IReadOnlyList<string> ListedStatuses =
    [
        SubscriptionStatuses.Incomplete, SubscriptionStatuses.IncompleteExpired, SubscriptionStatuses.Trialing, SubscriptionStatuses.Active,
        SubscriptionStatuses.PastDue, SubscriptionStatuses.Unpaid, SubscriptionStatuses.Canceled, SubscriptionStatuses.Paused,
    ];

    public static SubscriptionResponse ToResponse(AccessView view) => new(
        view.Status, view.PlanId, view.CurrentPeriodEnd, view.CancelAtPeriodEnd, view.TrialEnd,
        new AccessResponse(view.Access.HasAccess, view.Access.Source, view.Access.Until));

    public static GrantResponse ToResponse(AccessGrant grant) => new(grant.Id, grant.Until, grant.Reason, grant.CreatedAt, grant.ActorId);

    private static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> GetSubscription(IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).GetAccess();
        return result.ToHttp(http, view => TypedResults.Ok(ToResponse(view)));
    }

    private static async Task<Ok<PageResponse<SubscriptionRow>>> ListSubscriptions(IOperatorQueries queries, HttpContext http)
    {
        var page = await queries.ListSubscriptionsAsync(SubscriptionFilterOf(new QueryReader(http.Request)), http.RequestAborted);
        return TypedResults.Ok(new PageResponse<SubscriptionRow>(page.Results, QueryReader.EncodeCursor(page.Next)));
    }

    /// <summary>The subscriptions listing's parameters (the REST route and the console page); 400 naming every bad one.</summary>
    public static SubscriptionFilter SubscriptionFilterOf(QueryReader query)
    {
        var status = query.Text("status");
        if (status is not null && !ListedStatuses.Contains(status))
        {
            query.Reject("status", $"Must be one of {string.Join(", ", ListedStatuses)}.");
        }

        var userId = query.Guid("user_id");
        var prefix = query.Text("q");
        var (limit, after) = query.Page();
        query.ThrowIfInvalid();
        return new SubscriptionFilter(status, userId, prefix, limit, after);
    }

    private static async Task<Results<Created<GrantResponse>, ProblemHttpResult>> AddGrant(
        string id, JsonBody<GrantRequest> body, IGrainFactory grains, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var userId))
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, "User not found.");
        }

        var request = body.Value;
        var result = await grains.GetGrain<IUserGrain>(userId)
            .AddGrant(new NewGrant(request.UntilTime!.Value, request.Reason!), admin.UserId, admin.Client);
        return result.ToHttp(http, grant => TypedResults.Created((string?)null, ToResponse(grant)));
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> RevokeGrant(
        string id, string grantId, IGrainFactory grains, HttpContext http)
    {
        var admin = http.RequireCaller();
        if (!Guid.TryParse(id, out var userId))
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, "User not found.");
        }

        if (!Guid.TryParse(grantId, out var grant))
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.GrantNotFound, "Grant not found.");
        }

        var result = await grains.GetGrain<IUserGrain>(userId).RevokeGrant(grant, admin.UserId, admin.Client);
        return result.ToHttp(http, _ => TypedResults.Ok(new MessageResponse("Grant revoked")));
    }
}
