using Learning.Accounts;
using Learning.Api.Http;
using Learning.Api.Security;
using Learning.Common;

namespace Learning.Api.Auth;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Accounts");
        group.MapPost("/register", Register).RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<RegisterRequest>("Register a student account", ErrorCodes.EmailTaken, ErrorCodes.RateLimited).Produces<UserProfile>(201);
        group.MapPost("/login", Login).RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<LoginRequest>("Sign in: a token pair", ErrorCodes.InvalidCredentials, ErrorCodes.AccountLocked, ErrorCodes.RateLimited).Produces<TokenPair>();
        group.MapPost("/refresh", Refresh).RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<RefreshRequest>("Rotate a refresh token", ErrorCodes.InvalidToken, ErrorCodes.TokenReused, ErrorCodes.RateLimited).Produces<TokenPair>();
        group.MapPost("/logout", Logout).RequireAuthorization()
            .Documented<RefreshRequest>("Sign out the family of a refresh token", ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked, ErrorCodes.InvalidToken).Produces(204);
        group.MapGet("/me", Me).RequireAuthorization()
            .Documented("The signed-in user", ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked).Produces<UserProfile>();
        group.MapPost("/password", ChangePassword).RequireAuthorization()
            .Documented<ChangePasswordRequest>("Change the password; other sessions are signed out", ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked, ErrorCodes.InvalidCredentials).Produces(204);
        return app;
    }

    private static async Task<IResult> Register(JsonBody<RegisterRequest> body, IGrainFactory grains, HttpContext http)
    {
        var request = body.Value;
        var result = await grains.GetGrain<IAccountsGrain>(0)
            .Register(new RegisterAccount(request.Email!, request.Password!, request.FullName!, Role.Student), http.Client());
        return result.ToHttp(http, user => TypedResults.Created("/api/auth/me", user));
    }

    private static async Task<IResult> Login(JsonBody<LoginRequest> body, IGrainFactory grains, AccessTokenIssuer tokens, HttpContext http)
    {
        var result = await grains.GetGrain<IAccountsGrain>(0).Login(body.Value.Email!, body.Value.Password!, http.Client());
        return result.ToHttp(http, grant => TokenResponse(http, tokens.Issue(grant)));
    }

    private static async Task<IResult> Refresh(JsonBody<RefreshRequest> body, IGrainFactory grains, AccessTokenIssuer tokens, HttpContext http)
    {
        var result = await grains.GetGrain<IAccountsGrain>(0).Refresh(body.Value.Refresh!, http.Client());
        return result.ToHttp(http, grant => TokenResponse(http, tokens.Issue(grant)));
    }

    private static async Task<IResult> Logout(JsonBody<RefreshRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).Logout(caller, body.Value.Refresh!);
        return result.ToHttp(http, _ => TypedResults.NoContent());
    }

    private static async Task<IResult> Me(IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).GetProfile(caller);
        return result.ToHttp(http, TypedResults.Ok);
    }

    private static async Task<IResult> ChangePassword(JsonBody<ChangePasswordRequest> body, IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId)
            .ChangePassword(caller, body.Value.CurrentPassword!, body.Value.NewPassword!);
        return result.ToHttp(http, _ => TypedResults.NoContent());
    }

    /// <summary>Token responses must never sit in a cache.</summary>
    private static IResult TokenResponse(HttpContext http, TokenPair pair)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return TypedResults.Ok(pair);
    }

    public static Caller RequireCaller(this HttpContext http) =>
        http.Caller() ?? throw new ApiProblemException(StatusCodes.Status401Unauthorized, ErrorCodes.NotAuthenticated, "Authentication is required.");
}
