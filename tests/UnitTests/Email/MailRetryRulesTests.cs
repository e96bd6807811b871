using Learning.Email;

namespace Learning.UnitTests.Email;

public sealed class MailRetryRulesTests
{
    private static readonly MailRetryOptions Options = new()
    {
        BackoffBase = TimeSpan.FromSeconds(5),
        BackoffCap = TimeSpan.FromMinutes(15),
        MaxAge = TimeSpan.FromDays(1),
    };

    private static readonly DateTimeOffset Queued = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(8, 640)]
    public void Backoff_doubles_after_each_failure(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), MailRetryRules.Backoff(failures, Options, random: 1));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(1000)]
    public void Backoff_never_passes_the_cap(int failures)
    {
        Assert.Equal(TimeSpan.FromMinutes(15), MailRetryRules.Backoff(failures, Options, random: 1));
    }

    [Fact]
    public void Jitter_shortens_a_wait_by_at_most_half()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), MailRetryRules.Backoff(3, Options, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(15), MailRetryRules.Backoff(3, Options, random: 0.5));
        Assert.Equal(TimeSpan.FromMinutes(7.5), MailRetryRules.Backoff(50, Options, random: 0));
    }

    [Fact]
    public void A_transient_failure_is_retried_after_the_backoff()
    {
        var now = Queued.AddMinutes(1);

        Assert.Equal(now.AddSeconds(20), MailRetryRules.NextAttempt(3, Queued, now, Options, random: 1));
    }

    [Fact]
    public void Mail_older_than_the_max_age_is_given_up()
    {
        Assert.NotNull(MailRetryRules.NextAttempt(40, Queued, Queued.AddDays(1).AddTicks(-1), Options, random: 1));
        Assert.Null(MailRetryRules.NextAttempt(40, Queued, Queued.AddDays(1), Options, random: 1));
    }

    [Fact]
    public void With_max_attempts_set_the_last_attempt_is_not_retried()
    {
        var limited = new MailRetryOptions { BackoffBase = Options.BackoffBase, BackoffCap = Options.BackoffCap, MaxAge = Options.MaxAge, MaxAttempts = 3 };

        Assert.NotNull(MailRetryRules.NextAttempt(2, Queued, Queued.AddMinutes(1), limited, random: 1));
        Assert.Null(MailRetryRules.NextAttempt(3, Queued, Queued.AddMinutes(1), limited, random: 1));
    }
}
