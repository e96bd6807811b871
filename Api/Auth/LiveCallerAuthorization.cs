using Learning.Accounts;
using Learning.Api.Http;
using Learning.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Learning.Api.Auth;

/// <summary>
/// Part of every authenticated policy: the token's refresh family must still be live in the caller's grain, and for
/// admin routes the account must be an admin now (the token's <c>role</c> claim may be stale).
/// </summary>
public sealed record LiveCallerRequirement(bool AdminOnly) : IAuthorizationRequirement;

/// <summary>
/// Marks a route whose handler calls the caller's own grain with the <see cref="Caller"/>: that grain refuses a revoked
/// family itself, so the policy makes no grain call of its own there (one call per heartbeat, not two).
/// </summary>
public sealed class CallerCheckedByGrain
{
    public static readonly CallerCheckedByGrain Instance = new();

    private CallerCheckedByGrain()
    {
    }
}

public static class LiveCallerEndpointExtensions
{
    /// <summary>Signed-in callers only; the route's own call to the caller's grain checks their family.</summary>
    public static TBuilder RequireCallerCheckedByGrain<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().WithMetadata(CallerCheckedByGrain.Instance);

    /// <summary>
    /// Whether the caller is an admin now, as their grain answered the policy; false when no policy asked it
    /// (routes whose grain checks the caller never need to know).
    /// </summary>
    public static bool CallerIsAdmin(this HttpContext http) => http.Features.Get<CallerStatus>() is { State: CallerState.Live, Role: Role.Admin };
}

public sealed class LiveCallerHandler(IGrainFactory grains) : AuthorizationHandler<LiveCallerRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, LiveCallerRequirement requirement)
    {
        if (context.Resource is not HttpContext http || http.Caller() is not { } caller)
        {
            context.Fail(new AuthorizationFailureReason(this, ErrorCodes.NotAuthenticated));
            return;
        }

        if (!requirement.AdminOnly && http.GetEndpoint()?.Metadata.GetMetadata<CallerCheckedByGrain>() is not null)
        {
            context.Succeed(requirement);
            return;
        }

        var status = await StatusAsync(grains, http, caller);
        if (Refusal(status) is { } code)
        {
            context.Fail(new AuthorizationFailureReason(this, code));
        }
        else if (!requirement.AdminOnly || status.Role == Role.Admin)
        {
            context.Succeed(requirement);
        }
    }

    /// <summary>
    /// Binding a body runs before the route's grain call, so a refused body would answer 400 before the grain could
    /// answer 401. On that (rare) path the family is checked here, so authentication wins over validation.
    /// </summary>
    public static async Task ThrowIfRefusedAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<CallerCheckedByGrain>() is null || http.Caller() is not { } caller)
        {
            return;
        }

        var status = await StatusAsync(http.RequestServices.GetRequiredService<IGrainFactory>(), http, caller);
        if (Refusal(status) is { } code)
        {
            throw new ApiProblemException(StatusCodes.Status401Unauthorized, code, MessageOf(code));
        }
    }

    public static string MessageOf(string code) =>
        code == ErrorCodes.TokenRevoked ? "This session was signed out." : "Authentication is required.";

    private static string? Refusal(CallerStatus status) => status.State switch
    {
        CallerState.Live => null,
        CallerState.Revoked => ErrorCodes.TokenRevoked,
        _ => ErrorCodes.NotAuthenticated,
    };

    /// <summary>One grain call per request however many requirements ask.</summary>
    private static async Task<CallerStatus> StatusAsync(IGrainFactory grains, HttpContext http, Caller caller)
    {
        if (http.Features.Get<CallerStatus>() is not { } status)
        {
            status = await grains.GetGrain<IUserGrain>(caller.UserId).CheckCaller(caller.FamilyId);
            http.Features.Set(status);
        }

        return status;
    }
}

/// <summary>
/// Answers the live-caller refusals as the contract's 401 (<c>token_revoked</c>); other outcomes as usual. A refused
/// console session (revoked family, no longer an admin) loses its cookie and is sent to sign in again.
/// </summary>
public sealed class LiveCallerResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && ConsoleSession.Applies(context))
        {
            await context.SignOutAsync(ConsoleSession.Scheme);
            await context.ChallengeAsync(ConsoleSession.Scheme);
            return;
        }

        await HandleBearerAsync(next, context, policy, authorizeResult);
    }

    private Task HandleBearerAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault(r => r.Handler is LiveCallerHandler) is { } refusal)
        {
            return ApiProblem.Create(StatusCodes.Status401Unauthorized, refusal.Message, LiveCallerHandler.MessageOf(refusal.Message))
                .ExecuteAsync(context);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
