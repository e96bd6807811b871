using Learning.Common;
using Orleans.Concurrency;

namespace Learning.Accounts;

/// <summary>The account part of a user's grain: credentials, refresh-token families and login failures.</summary>
[Alias("accounts.IUserAccountGrain")]
public interface IUserAccountGrain : IGrainWithGuidKey
{
    /// <summary>Creates the account; called once by the email's grain that won the registration.</summary>
    [Alias("create")]
    Task<Result<UserProfile>> Create(NewUser user, ClientInfo client);

    /// <summary>The profile, or null when this user does not exist (used to repair half-done registrations).</summary>
    [Alias("find")]
    Task<UserProfile?> Find();

    [Alias("login")]
    Task<Result<TokenGrant>> Login(string password, ClientInfo client);

    [Alias("refresh")]
    Task<Result<TokenGrant>> Refresh(string refreshToken, ClientInfo client);

    [Alias("logout")]
    Task<Result<Done>> Logout(Caller caller, string refreshToken);

    [Alias("me")]
    Task<Result<UserProfile>> GetProfile(Caller caller);

    [Alias("change-password")]
    Task<Result<Done>> ChangePassword(Caller caller, string currentPassword, string newPassword);

    /// <summary>Mails a new verification link, at most once a minute; nothing when the email is already verified.</summary>
    [Alias("request-email-verification")]
    Task<Result<Done>> RequestEmailVerification(Caller caller);

    /// <summary>Marks the email verified with a token from a verification link.</summary>
    [Alias("verify-email")]
    Task<Result<Done>> VerifyEmail(string token, ClientInfo client);

    /// <summary>
    /// Mails a reset link unless the account's send limit is reached; the caller never learns which (nor whether this
    /// user exists), so it gets no answer.
    /// </summary>
    [Alias("request-password-reset")]
    Task RequestPasswordReset(ClientInfo client);

    /// <summary>Sets a new password with a token from a reset link; signs out every session.</summary>
    [Alias("reset-password")]
    Task<Result<Done>> ResetPassword(string token, string newPassword, ClientInfo client);

    /// <summary>
    /// Whether an access token of the refresh family <paramref name="familyId"/> may still act, and the role the
    /// account has now; asked for routes that make no other call to this grain with the caller.
    /// </summary>
    [Alias("check-caller"), ReadOnly]
    Task<CallerStatus> CheckCaller(Guid familyId);
}
