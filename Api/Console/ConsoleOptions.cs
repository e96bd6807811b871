using Microsoft.Extensions.Options;

namespace Learning.Api.OperatorConsole;

/// <summary>
/// The operator console (section <c>Console</c>, docs/console.md). Public API replicas leave it off; an internal
/// instance turns it on.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Serve <c>/console</c> and accept its cookie. Unset means: on in Development, off elsewhere.</summary>
    public bool? Enabled { get; set; }

    /// <summary>How long a console sign-in lasts (not sliding); revocation ends it sooner.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetSection(Section).Get<ConsoleOptions>()?.Enabled ?? environment.IsDevelopment();
}

internal sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions options) =>
        options.SessionLifetime < TimeSpan.FromMinutes(5) || options.SessionLifetime > TimeSpan.FromDays(7)
            ? ValidateOptionsResult.Fail("Console:SessionLifetime must be between 5 minutes and 7 days.")
            : ValidateOptionsResult.Success;
}
