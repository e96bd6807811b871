using Learning.Accounts;
using Learning.Api.Http;
using Learning.Api.Security;
using Learning.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Auth;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Accounts");
        group.MapPost("/register", Register)
            .RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<RegisterRequest>("Register a student account", ErrorCodes.EmailTaken, ErrorCodes.RateLimited);
        group.MapPost("/login", Login)
            .RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<LoginRequest>("Sign in: a token pair",
                ErrorCodes.InvalidCredentials, ErrorCodes.AccountLocked, ErrorCodes.RateLimited);
        group.MapPost("/refresh", Refresh)
            .RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<RefreshRequest>("Rotate a refresh token",
                ErrorCodes.InvalidToken, ErrorCodes.TokenReused, ErrorCodes.RateLimited);
        group.MapPost("/logout", Logout)
            .RequireCallerCheckedByGrain()
            .Documented<RefreshRequest>("Sign out the family of a refresh token",
                ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked, ErrorCodes.InvalidToken);
        group.MapGet("/me", Me)
            .RequireCallerCheckedByGrain()
            .Documented("The signed-in user", ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        group.MapPost("/password", ChangePassword)
            .RequireCallerCheckedByGrain()
            .Documented<ChangePasswordRequest>("Change the password; other sessions are signed out",
                ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked, ErrorCodes.InvalidCredentials, ErrorCodes.AccountLocked);
        group.MapAccountRecoveryApi();
        return app;
    }

    private static async Task<Results<Created<UserProfile>, ProblemHttpResult>> Register(
        JsonBody<RegisterRequest> body, IGrainFactory grains, HttpContext http)
    {
        var request = body.Value;
        var result = await grains.GetGrain<IAccountsGrain>(0)
            .Register(new RegisterAccount(request.Email!, request.Password!, request.FullName!, Role.Student), http.Client());
        return result.ToHttp(http, user => TypedResults.Created("/api/auth/me", user));
    }

    private static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> Login(
        JsonBody<LoginRequest> body, IGrainFactory grains, AccessTokenIssuer tokens, HttpContext http)
    {
        var result = await grains.GetGrain<IAccountsGrain>(0).Login(body.Value.Email!, body.Value.Password!, http.Client());
        return result.ToHttp(http, grant => TokenResponse(http, tokens.Issue(grant)));
    }

    private static async Task<Results<Ok<TokenPair>, ProblemHttpResult>> Refresh(
        JsonBody<RefreshRequest> body, IGrainFactory grains, AccessTokenIssuer tokens, HttpContext http)
    {
        var result = await grains.GetGrain<IAccountsGrain>(0).Refresh(body.Value.Refresh!, http.Client());
        return result.ToHttp(http, grant => TokenResponse(http, tokens.Issue(grant)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Logout(
        JsonBody<RefreshRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).Logout(caller, body.Value.Refresh!);
        return result.ToHttp(http, _ => TypedResults.NoContent());
    }

    private static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> Me(IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).GetProfile(caller);
        return result.ToHttp(http, TypedResults.Ok);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(
        JsonBody<ChangePasswordRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId)
            .ChangePassword(caller, body.Value.CurrentPassword!, body.Value.NewPassword!);
        return result.ToHttp(http, _ => TypedResults.NoContent());
    }

    /// <summary>Token responses must never sit in a cache.</summary>
    private static Ok<TokenPair> TokenResponse(HttpContext http, TokenPair pair)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return TypedResults.Ok(pair);
    }
}
