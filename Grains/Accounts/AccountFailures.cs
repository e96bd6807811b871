using Learning.Common;

namespace Learning.Accounts;

internal static class AccountFailures
{
    public static readonly Failure InvalidCredentials = new(ErrorCodes.InvalidCredentials, "Invalid email or password.");
    public static readonly Failure InvalidToken = new(ErrorCodes.InvalidToken, "The refresh token is invalid or expired.");
    public static readonly Failure EmailTaken = new(ErrorCodes.EmailTaken, "An account with this email already exists.");
    public static readonly Failure NotAuthenticated = new(ErrorCodes.NotAuthenticated, "Authentication is required.");
    public static readonly Failure TokenRevoked = new(ErrorCodes.TokenRevoked, "This session was signed out.");
    public static readonly Failure Disabled = new(ErrorCodes.AccountDisabled, "This account is disabled.");

    /// <summary>The same answer for a locked account and a locked unknown email, so the lock reveals nothing.</summary>
    public static Failure Locked(TimeSpan remaining) =>
        new(ErrorCodes.AccountLocked, "Too many failed logins; the account is locked for a while.")
        {
            RetryAfterSeconds = LockoutRules.RetryAfterSeconds(remaining),
        };
}
