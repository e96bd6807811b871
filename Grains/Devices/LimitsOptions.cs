using Microsoft.Extensions.Options;

namespace Learning.Devices;

/// <summary>Per-user limits (section <c>Limits</c>).</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Devices that may be active at once.</summary>
    public int MaxActiveDevices { get; set; } = 1;

    /// <summary>Live playback sessions at once.</summary>
    public int MaxConcurrentStreams { get; set; } = 1;

    /// <summary>Devices a user keeps; past it the least recently used inactive one is dropped.</summary>
    public int MaxDevicesPerUser { get; set; } = 10;

    /// <summary>
    /// Audit entries a user's grain holds while the read model cannot take them; at this many, commands that would add
    /// more answer <c>503 service_unavailable</c> until it can. Entries are never dropped to make room.
    /// </summary>
    public int MaxPendingAuditEntries { get; set; } = 1000;

    /// <summary>
    /// Mails a user's grain holds while the mail queue cannot take them; at this many, commands that would mail answer
    /// <c>503 service_unavailable</c> until it can, as for audit entries. Each mail is a few kilobytes of state.
    /// </summary>
    public int MaxPendingMails { get; set; } = 20;
}

internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var problems = new List<string>();
        if (options.MaxDevicesPerUser is < 1 or > 100)
        {
            problems.Add("Limits:MaxDevicesPerUser must be between 1 and 100.");
        }

        if (options.MaxActiveDevices < 1 || options.MaxActiveDevices > options.MaxDevicesPerUser)
        {
            problems.Add("Limits:MaxActiveDevices must be between 1 and Limits:MaxDevicesPerUser.");
        }

        if (options.MaxConcurrentStreams is < 1 or > 100)
        {
            problems.Add("Limits:MaxConcurrentStreams must be between 1 and 100.");
        }

        if (options.MaxPendingAuditEntries is < 1 or > 100_000)
        {
            problems.Add("Limits:MaxPendingAuditEntries must be between 1 and 100000.");
        }

        if (options.MaxPendingMails is < 1 or > 1000)
        {
            problems.Add("Limits:MaxPendingMails must be between 1 and 1000.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
