using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Learning.Access;

public enum AccessMode
{
    /// <summary>Every signed-in user may watch every lesson (the behaviour before paid access existed).</summary>
    Open,

    /// <summary>A lesson plays only for a user with access (a subscription or a grant), or when it is a free preview.</summary>
    Subscription,
}

/// <summary>
/// Who may watch (section <c>Access</c>), and how long a <c>past_due</c> subscription keeps access
/// (<c>Billing:PastDueGrace</c>, read here because only the access rules use it; the billing options do not repeat it).
/// </summary>
public sealed class AccessOptions
{
    public const string Section = "Access";
    public const string ModeKey = "Access:Mode";
    public const string PastDueGraceKey = "Billing:PastDueGrace";
    public const string PlansKey = "Billing:Plans";

    public AccessMode Mode { get; set; } = AccessMode.Open;

    /// <summary>Access a <c>past_due</c> subscription keeps, counted from the first <c>past_due</c> event.</summary>
    public TimeSpan PastDueGrace { get; set; } = TimeSpan.FromDays(3);

    public bool IsSubscription => Mode == AccessMode.Subscription;

    /// <summary>Binds <c>Access:Mode</c> and <c>Billing:PastDueGrace</c>; unreadable values are left to the validator to name.</summary>
    public static void Read(AccessOptions options, IConfiguration configuration)
    {
        if (configuration[ModeKey] is { Length: > 0 } mode && Enum.TryParse<AccessMode>(mode, ignoreCase: true, out var parsed)
            && Enum.IsDefined(parsed) && !int.TryParse(mode, out _))
        {
            options.Mode = parsed;
        }

        if (configuration[PastDueGraceKey] is { Length: > 0 } grace && TimeSpan.TryParse(grace, CultureInfo.InvariantCulture, out var span))
        {
            options.PastDueGrace = span;
        }
    }
}

public sealed class AccessOptionsValidator(IConfiguration configuration) : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var problems = new List<string>();
        var mode = configuration[AccessOptions.ModeKey];
        if (mode is { Length: > 0 } && (!Enum.TryParse<AccessMode>(mode, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(mode, out _)))
        {
            problems.Add($"{AccessOptions.ModeKey} must be open or subscription (it is '{mode}').");
        }

        // Plans without an explicit mode would take payments while everyone may watch anyway (or, were the default
        // different, lock out every existing user): the operator must say which they mean.
        if (configuration.GetSection(AccessOptions.PlansKey).Exists() && string.IsNullOrEmpty(mode))
        {
            problems.Add($"{AccessOptions.ModeKey} must be set (open or subscription) when {AccessOptions.PlansKey} is configured.");
        }

        var grace = configuration[AccessOptions.PastDueGraceKey];
        if (grace is { Length: > 0 } && !TimeSpan.TryParse(grace, CultureInfo.InvariantCulture, out _))
        {
            problems.Add($"{AccessOptions.PastDueGraceKey} must be a duration such as 3.00:00:00 (it is '{grace}').");
        }
        else if (options.PastDueGrace < TimeSpan.Zero || options.PastDueGrace > TimeSpan.FromDays(60))
        {
            problems.Add($"{AccessOptions.PastDueGraceKey} must be between 0 and 60 days.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
