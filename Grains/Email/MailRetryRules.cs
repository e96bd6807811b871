namespace Learning.Email;

/// <summary>When a transient failure is tried again, and when mail is given up. Pure: the clock and the dice are passed in.</summary>
public static class MailRetryRules
{
    /// <summary>
    /// The wait after <paramref name="failedAttempts"/> failures: <c>BackoffBase · 2^(failures − 1)</c>, at most
    /// <c>BackoffCap</c>, then shortened by up to half (<paramref name="random"/> in [0, 1)) so that silos which failed
    /// together, when the relay went down, do not all come back at the same moment.
    /// </summary>
    public static TimeSpan Backoff(int failedAttempts, MailRetryOptions options, double random)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 40);
        var ticks = Math.Min(options.BackoffCap.Ticks, options.BackoffBase.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(ticks * (0.5 + 0.5 * Math.Clamp(random, 0, 1))));
    }

    /// <summary>When to try again after a transient failure, or null: give the mail up (too many attempts, or too old).</summary>
    public static DateTimeOffset? NextAttempt(
        int failedAttempts, DateTimeOffset createdAt, DateTimeOffset now, MailRetryOptions options, double random)
    {
        if (options.MaxAttempts > 0 && failedAttempts >= options.MaxAttempts)
        {
            return null;
        }

        return now - createdAt >= options.MaxAge ? null : now + Backoff(failedAttempts, options, random);
    }
}
