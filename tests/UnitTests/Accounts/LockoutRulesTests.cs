using Learning.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Accounts;

public sealed class LockoutRulesTests
{
    private static readonly AccountOptions Options = new() { MaxFailedLogins = 5, LockoutDuration = TimeSpan.FromMinutes(15) };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Four_failures_do_not_lock_and_the_fifth_does()
    {
        var throttle = FailTimes(4);
        Assert.Null(LockoutRules.LockRemaining(throttle, _clock.GetUtcNow()));

        throttle = LockoutRules.AfterFailure(throttle, _clock.GetUtcNow(), Options);
        Assert.Equal(TimeSpan.FromMinutes(15), LockoutRules.LockRemaining(throttle, _clock.GetUtcNow()));
    }

    [Fact]
    public void A_lock_counts_down_and_ends_after_the_lockout_duration()
    {
        var throttle = FailTimes(5);
        _clock.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59.5));
        var remaining = LockoutRules.LockRemaining(throttle, _clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(0.5), remaining);
        Assert.Equal(1, LockoutRules.RetryAfterSeconds(remaining!.Value));

        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Null(LockoutRules.LockRemaining(throttle, _clock.GetUtcNow()));
    }

    [Fact]
    public void A_failure_after_an_expired_lock_starts_a_fresh_count()
    {
        var throttle = FailTimes(5);
        _clock.Advance(TimeSpan.FromMinutes(16));

        throttle = LockoutRules.AfterFailure(throttle, _clock.GetUtcNow(), Options);

        Assert.Equal(1, throttle.ConsecutiveFailures);
        Assert.Null(LockoutRules.LockRemaining(throttle, _clock.GetUtcNow()));
    }

    [Fact]
    public void Retry_after_rounds_up_to_whole_seconds()
    {
        Assert.Equal(900, LockoutRules.RetryAfterSeconds(TimeSpan.FromMinutes(15)));
        Assert.Equal(61, LockoutRules.RetryAfterSeconds(TimeSpan.FromSeconds(60.2)));
    }

    private LoginThrottle FailTimes(int count)
    {
        var throttle = LoginThrottle.None;
        for (var i = 0; i < count; i++)
        {
            throttle = LockoutRules.AfterFailure(throttle, _clock.GetUtcNow(), Options);
        }

        return throttle;
    }
}
