using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Learning.Accounts;

/// <summary>Account rules the user's grain enforces (section <c>Auth</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Auth";

    /// <summary>How long a refresh token stays usable after it was issued; each rotation starts a new lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a refresh family (one login) lives at most, from the login, however often it rotates.</summary>
    public TimeSpan RefreshFamilyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long after a rotation the token it replaced may be presented again for a fresh pair of the same family
    /// (a client retrying after a lost response), instead of counting as reuse. Zero: strict reuse detection.
    /// </summary>
    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.Zero;

    /// <summary>The longest <see cref="RefreshReuseGrace"/> allowed: a copied token must not stay usable for long.</summary>
    public static readonly TimeSpan MaxRefreshReuseGrace = TimeSpan.FromMinutes(1);

    /// <summary>Consecutive failed logins that lock the account (the last one still answers 401).</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked account refuses every login.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Signed-in sessions (refresh families) a user may hold; signing in beyond it revokes the oldest.</summary>
    public int MaxRefreshFamilies { get; set; } = 20;

    /// <summary>
    /// PBKDF2 iterations for new hashes. Below <see cref="PasswordHasher.MinimumIterations"/> only in Development,
    /// where the test suites use a small count so that thousands of sign-ins cost seconds, not minutes.
    /// </summary>
    public int PasswordHashIterations { get; set; } = PasswordHasher.MinimumIterations;

    /// <summary>
    /// When true, an account whose email is not verified may sign in but not start a video (<c>403 email_not_verified</c>).
    /// Off by default: the original clients do not handle that answer.
    /// </summary>
    public bool RequireVerifiedEmail { get; set; }
}

internal sealed class AccountOptionsValidator(IHostEnvironment environment) : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions options)
    {
        var problems = new List<string>();
        if (options.RefreshTokenLifetime < TimeSpan.FromMinutes(1))
        {
            problems.Add("Auth:RefreshTokenLifetime must be at least 1 minute.");
        }

        if (options.RefreshFamilyLifetime < options.RefreshTokenLifetime)
        {
            problems.Add("Auth:RefreshFamilyLifetime must be at least Auth:RefreshTokenLifetime.");
        }

        if (options.RefreshReuseGrace < TimeSpan.Zero || options.RefreshReuseGrace > AccountOptions.MaxRefreshReuseGrace)
        {
            problems.Add("Auth:RefreshReuseGrace must be between 0 and 1 minute.");
        }

        if (options.MaxFailedLogins < 1)
        {
            problems.Add("Auth:MaxFailedLogins must be at least 1.");
        }

        if (options.LockoutDuration <= TimeSpan.Zero)
        {
            problems.Add("Auth:LockoutDuration must be positive.");
        }

        if (options.PasswordHashIterations < PasswordHasher.MinimumIterations && !environment.IsDevelopment())
        {
            problems.Add($"Auth:PasswordHashIterations must be at least {PasswordHasher.MinimumIterations} outside Development.");
        }
        else if (options.PasswordHashIterations < 1)
        {
            problems.Add("Auth:PasswordHashIterations must be at least 1.");
        }

        if (options.MaxRefreshFamilies < 1)
        {
            problems.Add("Auth:MaxRefreshFamilies must be at least 1.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
