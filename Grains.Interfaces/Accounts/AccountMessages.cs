using Learning.Common;

namespace Learning.Accounts;

[GenerateSerializer, Alias("accounts.role")]
public enum Role
{
    Student = 0,
    Admin = 1,
}

/// <summary>A user as clients see it; <see cref="EmailVerified"/> turns true once a mailed verification link is used.</summary>
[GenerateSerializer, Immutable, Alias("accounts.user-profile")]
public sealed record UserProfile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Email,
    [property: Id(2)] string FullName,
    [property: Id(3)] Role Role,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] bool EmailVerified);

[GenerateSerializer, Immutable, Alias("accounts.register")]
public sealed record RegisterAccount(
    [property: Id(0)] string Email,
    [property: Id(1)] string Password,
    [property: Id(2)] string FullName,
    [property: Id(3)] Role Role);

/// <summary>What the email's grain hands the new user's grain: the password is already hashed.</summary>
[GenerateSerializer, Immutable, Alias("accounts.new-user")]
public sealed record NewUser(
    [property: Id(0)] string Email,
    [property: Id(1)] string PasswordHash,
    [property: Id(2)] string FullName,
    [property: Id(3)] Role Role);

/// <summary>
/// A signed-in session: the API turns it into an access token (JWT with <c>sid</c> = <see cref="FamilyId"/>)
/// beside the opaque <see cref="RefreshToken"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("accounts.token-grant")]
public sealed record TokenGrant(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] Role Role,
    [property: Id(2)] Guid FamilyId,
    [property: Id(3)] string RefreshToken);

/// <summary>
/// A failed login for an email nobody owns. <see cref="LockRemaining"/> is set when the email was already locked and
/// the attempt was refused unchecked; otherwise the attempt was counted, and <see cref="LockedUntil"/> is set when it
/// locked the email.
/// </summary>
[GenerateSerializer, Immutable, Alias("accounts.unknown-email-login")]
public sealed record UnknownEmailLogin(
    [property: Id(0)] TimeSpan? LockRemaining,
    [property: Id(1)] int ConsecutiveFailures,
    [property: Id(2)] DateTimeOffset? LockedUntil);

/// <summary>Whether an access token's refresh family may still act, and the account's role as it is now.</summary>
[GenerateSerializer, Alias("accounts.caller-state")]
public enum CallerState
{
    Live = 0,
    Revoked = 1,

    /// <summary>No such account: the token names a user this cluster does not know.</summary>
    Unknown = 2,
}

/// <summary>The answer to <see cref="IUserAccountGrain.CheckCaller"/>.</summary>
[GenerateSerializer, Immutable, Alias("accounts.caller-status")]
public sealed record CallerStatus([property: Id(0)] CallerState State, [property: Id(1)] Role Role);
