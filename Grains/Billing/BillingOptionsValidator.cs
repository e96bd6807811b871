using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Learning.Billing;

/// <summary>
/// Fails start-up on billing settings that would only fail later, at a customer's checkout or a webhook: keys missing
/// where subscriptions are sold, malformed plans, return origins that are not origins, an API base that is not Stripe's.
/// </summary>
public sealed class BillingOptionsValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<BillingOptions>
{
    private static readonly HashSet<string> Intervals = ["day", "week", "month", "year"];

    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var problems = new List<string>();
        var relaxed = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        var subscriptions = string.Equals(configuration["Access:Mode"], "subscription", StringComparison.OrdinalIgnoreCase);
        if (subscriptions && !relaxed)
        {
            if (string.IsNullOrWhiteSpace(options.SecretKey))
            {
                problems.Add("Billing:SecretKey is required when Access:Mode is subscription.");
            }

            if (string.IsNullOrWhiteSpace(options.WebhookSecret))
            {
                problems.Add("Billing:WebhookSecret is required when Access:Mode is subscription.");
            }
        }

        if (!Uri.TryCreate(options.ApiBase, UriKind.Absolute, out var apiBase) || apiBase.Scheme is not ("https" or "http"))
        {
            problems.Add("Billing:ApiBase must be an absolute http(s) URL.");
        }
        else if (apiBase.Scheme == "http" && !relaxed && !apiBase.IsLoopback)
        {
            problems.Add("Billing:ApiBase must use https (plain http only for a loopback stand-in).");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Plans.Count; i++)
        {
            var plan = options.Plans[i];
            var at = $"Billing:Plans:{i}";
            if (string.IsNullOrWhiteSpace(plan.Id) || !ids.Add(plan.Id))
            {
                problems.Add($"{at}:Id must be set and unique.");
            }

            if (string.IsNullOrWhiteSpace(plan.Name))
            {
                problems.Add($"{at}:Name must be set.");
            }

            if (string.IsNullOrWhiteSpace(plan.PriceId))
            {
                problems.Add($"{at}:PriceId must be set (Stripe's price id).");
            }

            if (!Intervals.Contains(plan.Interval))
            {
                problems.Add($"{at}:Interval must be day, week, month or year.");
            }

            if (plan.Amount < 0)
            {
                problems.Add($"{at}:Amount must not be negative.");
            }

            if (plan.Currency.Length != 3 || !plan.Currency.All(char.IsAsciiLetterLower))
            {
                problems.Add($"{at}:Currency must be a lower-case ISO 4217 code (eur).");
            }

            if (plan.TrialDays is < 0 or > 730)
            {
                problems.Add($"{at}:TrialDays must be between 0 and 730.");
            }
        }

        foreach (var origin in options.AllowedRedirectOrigins)
        {
            if (RedirectOrigins.Normalize(origin) is null)
            {
                problems.Add($"Billing:AllowedRedirectOrigins: '{origin}' is not an absolute origin (scheme://host[:port], nothing after).");
            }
        }

        if (options.Processing.PollInterval <= TimeSpan.Zero || options.Processing.Lease <= TimeSpan.Zero
            || options.Processing.BatchSize < 1 || options.Processing.BackoffBase <= TimeSpan.Zero
            || options.Processing.BackoffCap < options.Processing.BackoffBase || options.Processing.MaxAttempts < 0)
        {
            problems.Add("Billing:Processing: intervals must be positive, BatchSize at least 1, BackoffCap at least BackoffBase.");
        }

        if (options.StripeTimeout <= TimeSpan.Zero)
        {
            problems.Add("Billing:StripeTimeout must be positive.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Return URLs of checkout and the portal may only lead to configured origins (no open redirect through Stripe).</summary>
public static class RedirectOrigins
{
    /// <summary>The origin (<c>scheme://host[:port]</c>, lower case) of a configured value, or null when it is not just an origin.</summary>
    public static string? Normalize(string? value)
    {
        if (!Uri.TryCreate(value?.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(uri.UserInfo) || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="url"/> is an absolute http(s) URL on one of <paramref name="allowed"/>.</summary>
    public static bool Allows(IEnumerable<string> allowed, string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var origin = uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        return allowed.Any(a => Normalize(a) == origin);
    }
}
