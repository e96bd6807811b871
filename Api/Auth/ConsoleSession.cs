using System.Security.Claims;
using Learning.Accounts;
using Learning.Common;
using Microsoft.AspNetCore.Authentication;

namespace Learning.Api.Auth;

/// <summary>
/// The operator console's cookie session. The cookie names the user and the refresh family their sign-in opened, so
/// every request is checked against the user's grain exactly as a bearer token is (<see cref="LiveCallerHandler"/>):
/// signing the admin out everywhere, or resetting their password, ends the console session on the next request.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "ConsoleCookie";

    public const string CookieName = "learning-console";

    /// <summary>Where the family's refresh token is kept in the (encrypted) ticket: signing out revokes the family with it.</summary>
    private const string RefreshTokenName = "refresh_token";

    public const string EmailClaim = "email";

    /// <summary>
    /// Signs in through the same grain call as <c>POST /api/auth/login</c>, so failures count toward the same lockout
    /// and are audited alike. A non-admin's correct password opens a family that is revoked again at once.
    /// </summary>
    public static async Task<Failure?> SignInAsync(HttpContext http, IGrainFactory grains, string email, string password)
    {
        var result = await grains.GetGrain<IAccountsGrain>(0).Login(email, password, http.Client());
        if (result.Error is { } failure)
        {
            return failure;
        }

        var grant = result.Value!;
        if (grant.Role != Role.Admin)
        {
            await grains.GetGrain<IUserGrain>(grant.UserId).Logout(new Caller(grant.UserId, grant.FamilyId, http.Client()), grant.RefreshToken);
            return new Failure(ErrorCodes.Forbidden, "The console is for administrators only; sign in to the app instead.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimNames.UserId, grant.UserId.ToString()),
                new Claim(ClaimNames.FamilyId, grant.FamilyId.ToString()),
                new Claim(ClaimNames.Role, RoleNames.Of(grant.Role)),
                new Claim(EmailClaim, email.Trim()),
            ],
            Scheme, ClaimNames.UserId, ClaimNames.Role);
        var properties = new AuthenticationProperties();
        properties.StoreTokens([new AuthenticationToken { Name = RefreshTokenName, Value = grant.RefreshToken }]);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), properties);
        return null;
    }

    /// <summary>Revokes the session's refresh family (as <c>POST /api/auth/logout</c> does) and drops the cookie.</summary>
    public static async Task SignOutAsync(HttpContext http, IGrainFactory grains)
    {
        if (http.Caller() is { } caller && await http.GetTokenAsync(Scheme, RefreshTokenName) is { } refreshToken)
        {
            await grains.GetGrain<IUserGrain>(caller.UserId).Logout(caller, refreshToken);
        }

        await http.SignOutAsync(Scheme);
    }

    /// <summary>Whether this request is authenticated (or challenged) by the console cookie rather than a bearer token.</summary>
    public static bool Applies(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<ConsoleSessionEndpoint>() is { } endpoint
        && (!endpoint.AcceptsBearer || !http.Request.Headers.ContainsKey("Authorization"));
}

/// <summary>
/// Route metadata: the route is authenticated by the console cookie. <see cref="AcceptsBearer"/> routes (the Dashboard)
/// take a bearer token instead when the request carries one.
/// </summary>
public sealed class ConsoleSessionEndpoint
{
    public static readonly ConsoleSessionEndpoint CookieOnly = new(acceptsBearer: false);
    public static readonly ConsoleSessionEndpoint CookieOrBearer = new(acceptsBearer: true);

    private ConsoleSessionEndpoint(bool acceptsBearer) => AcceptsBearer = acceptsBearer;

    public bool AcceptsBearer { get; }
}
