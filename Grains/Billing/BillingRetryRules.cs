namespace Learning.Billing;

/// <summary>When a webhook event whose processing failed is tried again. Pure: the dice are passed in.</summary>
public static class BillingRetryRules
{
    /// <summary>
    /// <c>BackoffBase · 2^(failures − 1)</c>, at most <c>BackoffCap</c>, shortened by up to half (<paramref name="random"/>
    /// in [0, 1)) so that instances which failed together (a silo was down) do not all come back at the same moment.
    /// </summary>
    public static TimeSpan Backoff(int failedAttempts, BillingProcessingOptions options, double random)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 40);
        var ticks = Math.Min(options.BackoffCap.Ticks, options.BackoffBase.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ticks * (0.5 + 0.5 * Math.Clamp(random, 0, 1))));
    }

    /// <summary>When to try again, or null: give the event up (logged; reconciliation repairs the user).</summary>
    public static DateTimeOffset? NextAttempt(int failedAttempts, DateTimeOffset now, BillingProcessingOptions options, double random) =>
        options.MaxAttempts > 0 && failedAttempts >= options.MaxAttempts ? null : now + Backoff(failedAttempts, options, random);
}
