using Learning.Accounts;
using Learning.Api.Http;
using Learning.Api.Security;
using Learning.Common;
using Learning.Email.Codes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Auth;

/// <summary>Email verification and password reset over JSON; the mailed links open the pages of <c>Account/AccountPages</c>.</summary>
public static class AccountRecoveryEndpoints
{
    private const string InvalidTokenDoc = "400 invalid_token (unknown, used or expired)";

    public static RouteGroupBuilder MapAccountRecoveryApi(this RouteGroupBuilder auth)
    {
        auth.MapPost("/verify-email/request", RequestVerification)
            .RequireCallerCheckedByGrain()
            .RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented("Mail a new email verification link (202; nothing is sent once verified)",
                ErrorCodes.ResendTooSoon, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked, ErrorCodes.RateLimited);
        auth.MapPost("/verify-email", VerifyEmail)
            .RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<VerifyEmailRequest>("Verify the email with a mailed token", ErrorCodes.RateLimited)
            .WithDescription($"Errors: 400 validation_error, 400 invalid_json, {InvalidTokenDoc}, 429 rate_limited");
        auth.MapPost("/password-reset/request", RequestPasswordReset)
            .RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<RequestPasswordResetRequest>("Mail a password reset link: 202 whatever the email", ErrorCodes.RateLimited);
        auth.MapPost("/password-reset", ResetPassword)
            .RequireRateLimiting(SecuritySetup.SignInPolicy)
            .Documented<ResetPasswordRequest>("Set a new password with a mailed token; every session is signed out", ErrorCodes.RateLimited)
            .WithDescription($"Errors: 400 validation_error (a weak new_password), 400 invalid_json, {InvalidTokenDoc}, 429 rate_limited");
        return auth;
    }

    private static async Task<Results<Accepted<MessageResponse>, ProblemHttpResult>> RequestVerification(IGrainFactory grains, HttpContext http)
    {
        var caller = http.RequireCaller();
        var result = await grains.GetGrain<IUserGrain>(caller.UserId).RequestEmailVerification(caller);
        return result.ToHttp(http, _ => Accepted("If your email is not verified yet, a verification link is on its way."));
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> VerifyEmail(
        JsonBody<VerifyEmailRequest> body, IGrainFactory grains, HttpContext http)
    {
        var token = body.Value.Token!;
        if (!OneTimeSecrets.TryReadUserId(token, out var userId))
        {
            return InvalidToken();
        }

        var result = await grains.GetGrain<IUserGrain>(userId).VerifyEmail(token, http.Client());
        return result.Error is { } failure ? LinkProblem(failure, http) : TypedResults.Ok(new MessageResponse("Your email address is verified."));
    }

    /// <summary>
    /// Answers before anyone has looked the email up (a one-way call), so a known and an unknown email get the same answer
    /// in the same time; no password is hashed on either path.
    /// </summary>
    private static async Task<Accepted<MessageResponse>> RequestPasswordReset(
        JsonBody<RequestPasswordResetRequest> body, IGrainFactory grains, HttpContext http)
    {
        await grains.GetGrain<IEmailGrain>(EmailAddress.Normalize(body.Value.Email!)).RequestPasswordReset(http.Client());
        return Accepted("If an account uses this email, a password reset link is on its way.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetPassword(
        JsonBody<ResetPasswordRequest> body, IGrainFactory grains, HttpContext http)
    {
        var token = body.Value.Token!;
        if (!OneTimeSecrets.TryReadUserId(token, out var userId))
        {
            return InvalidToken();
        }

        var result = await grains.GetGrain<IUserGrain>(userId).ResetPassword(token, body.Value.NewPassword!, http.Client());
        return result.Error is { } failure ? LinkProblem(failure, http) : TypedResults.NoContent();
    }

    private static Accepted<MessageResponse> Accepted(string message) => TypedResults.Accepted((string?)null, new MessageResponse(message));

    /// <summary>On these routes a bad link token is the client's input, answered <c>400</c> (a bad refresh token is a <c>401</c>).</summary>
    private static ProblemHttpResult LinkProblem(Failure failure, HttpContext http) =>
        failure.Code == ErrorCodes.InvalidToken ? InvalidToken(failure.Message) : ApiProblem.From(failure, http);

    private static ProblemHttpResult InvalidToken(string message = "This link is invalid, expired or already used.") =>
        ApiProblem.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidToken, message);
}
