namespace Learning.Accounts;

/// <summary>A user's recent failed logins; part of the user's grain state.</summary>
[GenerateSerializer, Immutable, Alias("accounts.login-throttle")]
public sealed record LoginThrottle(
    [property: Id(0)] int ConsecutiveFailures,
    [property: Id(1)] DateTimeOffset? LockedUntil)
{
    /// <summary>
    /// A fresh instance every time, never a shared one: when Orleans reads stored state it may fill in the object
    /// a field already holds, which would write one user's lockout into every user sharing that default.
    /// </summary>
    public static LoginThrottle None => new(0, null);
}

/// <summary>Brute-force protection: N consecutive failures lock the account for a while.</summary>
public static class LockoutRules
{
    /// <summary>How much longer the account stays locked, or null when it is not locked.</summary>
    public static TimeSpan? LockRemaining(LoginThrottle throttle, DateTimeOffset now) =>
        throttle.LockedUntil is { } until && now < until ? until - now : null;

    public static LoginThrottle AfterFailure(LoginThrottle throttle, DateTimeOffset now, AccountOptions options)
    {
        // A lock that has run out starts a fresh count rather than re-locking on the next mistake.
        var failures = throttle.LockedUntil is not null ? 1 : throttle.ConsecutiveFailures + 1;
        return failures >= options.MaxFailedLogins
            ? new LoginThrottle(failures, now + options.LockoutDuration)
            : new LoginThrottle(failures, null);
    }

    /// <summary>Retry-After in whole seconds, never 0 while locked.</summary>
    public static int RetryAfterSeconds(TimeSpan remaining) => Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds));
}
