using System.Security.Claims;
using Learning.Api.Http;
using Learning.Common;

namespace Learning.Api.Auth;

/// <summary>Who is calling, as the grains need it: the signed-in user, their token family and their client.</summary>
public static class HttpContextCallerExtensions
{
    /// <summary>
    /// The bearer handler has already checked signature, lifetime, issuer and audience; claims that do not parse
    /// mean a token we did not mint, treated as unauthenticated.
    /// </summary>
    public static Caller? Caller(this HttpContext context)
    {
        var user = context.User;
        return Guid.TryParse(user.FindFirstValue(ClaimNames.UserId), out var userId)
               && Guid.TryParse(user.FindFirstValue(ClaimNames.FamilyId), out var familyId)
            ? new Caller(userId, familyId, context.Client())
            : null;
    }

    /// <summary>The caller of a route that requires authorization; 401 if the token does not name one.</summary>
    public static Caller RequireCaller(this HttpContext context) =>
        context.Caller() ?? throw new ApiProblemException(
            StatusCodes.Status401Unauthorized, ErrorCodes.NotAuthenticated, "Authentication is required.");

    public static ClientInfo Client(this HttpContext context)
    {
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new ClientInfo(
            context.Connection.RemoteIpAddress?.ToString(),
            userAgent.Length > 512 ? userAgent[..512] : userAgent);
    }
}
