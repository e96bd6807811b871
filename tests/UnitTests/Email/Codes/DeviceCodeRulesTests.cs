using Learning.Devices;
using Learning.Email.Codes;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Email.Codes;

public sealed class DeviceCodeRulesTests
{
    private static readonly RegisterDevice Phone = new("phone", "My phone", Platform.Android);
    private static readonly RegisterDevice Tablet = new("tablet", "My tablet", Platform.Ios);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void A_code_is_valid_for_five_minutes()
    {
        var (state, _) = DeviceCodeRules.Issue(DeviceConfirmations.None, DeviceOperation.Register, Phone, "right", Now);

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.IsType<ConfirmDecision.Expired>(DeviceCodeRules.DecideConfirm(state, "phone", "right", Now));
    }

    [Fact]
    public void The_right_code_takes_the_pending_operation_out_and_confirms_the_device()
    {
        var (state, _) = DeviceCodeRules.Issue(DeviceConfirmations.None, DeviceOperation.Transfer, Phone, "right", Now);
        _clock.Advance(TimeSpan.FromMinutes(4));

        var accepted = Assert.IsType<ConfirmDecision.Accepted>(DeviceCodeRules.DecideConfirm(state, "phone", "right", Now));

        Assert.Equal(DeviceOperation.Transfer, accepted.Pending.Operation);
        Assert.Equal(Phone, accepted.Pending.Device);
        Assert.Empty(accepted.Next.Pending);
        Assert.True(DeviceCodeRules.IsConfirmed(accepted.Next, [], "phone"));
        Assert.IsType<ConfirmDecision.NotFound>(DeviceCodeRules.DecideConfirm(accepted.Next, "phone", "right", Now));
    }

    [Fact]
    public void Two_wrong_codes_leave_attempts_and_the_third_wrong_code_expires_the_code()
    {
        var (state, _) = DeviceCodeRules.Issue(DeviceConfirmations.None, DeviceOperation.Register, Phone, "right", Now);

        var first = Assert.IsType<ConfirmDecision.Wrong>(DeviceCodeRules.DecideConfirm(state, "phone", "wrong", Now));
        var second = Assert.IsType<ConfirmDecision.Wrong>(DeviceCodeRules.DecideConfirm(first.Next, "phone", "wrong", Now));
        var third = Assert.IsType<ConfirmDecision.Wrong>(DeviceCodeRules.DecideConfirm(second.Next, "phone", "wrong", Now));

        Assert.Equal([2, 1, 0], new[] { first.AttemptsLeft, second.AttemptsLeft, third.AttemptsLeft });
        Assert.IsType<ConfirmDecision.Expired>(DeviceCodeRules.DecideConfirm(third.Next, "phone", "right", Now));
    }

    [Fact]
    public void An_unknown_device_has_no_confirmation()
    {
        var (state, _) = DeviceCodeRules.Issue(DeviceConfirmations.None, DeviceOperation.Register, Phone, "right", Now);

        Assert.IsType<ConfirmDecision.NotFound>(DeviceCodeRules.DecideConfirm(state, "tablet", "right", Now));
    }

    [Fact]
    public void A_new_code_is_sent_at_least_60_seconds_after_the_last()
    {
        var (_, pending) = DeviceCodeRules.Issue(DeviceConfirmations.None, DeviceOperation.Register, Phone, "right", Now);
        Assert.Equal(60, pending.ResendAfterSeconds(Now));
        Assert.Equal(300, pending.ExpiresInSeconds(Now));

        _clock.Advance(TimeSpan.FromSeconds(59.5));
        Assert.Equal(TimeSpan.FromSeconds(0.5), DeviceCodeRules.ResendWait(pending, Now));
        Assert.Equal(1, pending.ResendAfterSeconds(Now));

        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Null(DeviceCodeRules.ResendWait(pending, Now));
        Assert.Equal(0, pending.ResendAfterSeconds(Now));
    }

    [Fact]
    public void A_new_code_replaces_the_previous_one_with_fresh_attempts()
    {
        var (state, _) = DeviceCodeRules.Issue(DeviceConfirmations.None, DeviceOperation.Register, Phone, "old", Now);
        state = Assert.IsType<ConfirmDecision.Wrong>(DeviceCodeRules.DecideConfirm(state, "phone", "guess", Now)).Next;
        state = Assert.IsType<ConfirmDecision.Wrong>(DeviceCodeRules.DecideConfirm(state, "phone", "guess", Now)).Next;
        _clock.Advance(TimeSpan.FromMinutes(1));

        (state, var pending) = DeviceCodeRules.Issue(state, DeviceOperation.Register, Phone, "new", Now);

        Assert.Equal(0, pending.WrongAttempts);
        Assert.Single(state.Pending);
        Assert.Equal(2, Assert.IsType<ConfirmDecision.Wrong>(DeviceCodeRules.DecideConfirm(state, "phone", "old", Now)).AttemptsLeft);
        Assert.IsType<ConfirmDecision.Accepted>(DeviceCodeRules.DecideConfirm(state, "phone", "new", Now));
    }

    [Fact]
    public void Retargeting_keeps_the_code_and_changes_what_it_will_do()
    {
        var (state, pending) = DeviceCodeRules.Issue(DeviceConfirmations.None, DeviceOperation.Register, Phone, "right", Now);

        (state, _) = DeviceCodeRules.Retarget(state, pending, DeviceOperation.Transfer, Phone with { DeviceName = "Renamed" });

        var accepted = Assert.IsType<ConfirmDecision.Accepted>(DeviceCodeRules.DecideConfirm(state, "phone", "right", Now));
        Assert.Equal(DeviceOperation.Transfer, accepted.Pending.Operation);
        Assert.Equal("Renamed", accepted.Pending.Device.DeviceName);
    }

    [Fact]
    public void Ten_wrong_codes_an_hour_across_devices_then_every_attempt_is_rate_limited_until_the_oldest_leaves_the_hour()
    {
        var state = DeviceConfirmations.None;
        var firstWrong = Now;
        for (var i = 0; i < 10; i++)
        {
            var device = new RegisterDevice($"device-{i % 4}", "Device", Platform.Web);
            if (DeviceCodeRules.PendingFor(state, device.DeviceId, Now) is not { WrongAttempts: < 2 })
            {
                (state, _) = DeviceCodeRules.Issue(state, DeviceOperation.Register, device, $"right-{i}", Now);
            }

            state = Assert.IsType<ConfirmDecision.Wrong>(DeviceCodeRules.DecideConfirm(state, device.DeviceId, "wrong", Now)).Next;
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var (fresh, _) = DeviceCodeRules.Issue(state, DeviceOperation.Register, Tablet, "right", Now);
        var limited = Assert.IsType<ConfirmDecision.RateLimited>(DeviceCodeRules.DecideConfirm(fresh, "tablet", "right", Now));
        Assert.Equal(firstWrong + TimeSpan.FromHours(1) - Now, limited.RetryAfter);

        _clock.Advance(limited.RetryAfter);
        (fresh, _) = DeviceCodeRules.Issue(fresh, DeviceOperation.Register, Tablet, "right", Now);
        Assert.IsType<ConfirmDecision.Accepted>(DeviceCodeRules.DecideConfirm(fresh, "tablet", "right", Now));
    }

    [Fact]
    public void Devices_the_user_has_count_as_confirmed()
    {
        var existing = new Device(Guid.NewGuid(), "old-laptop", "Laptop", Platform.Web, IsActive: false, Now, Now);

        Assert.True(DeviceCodeRules.IsConfirmed(DeviceConfirmations.None, [existing], "old-laptop"));
        Assert.False(DeviceCodeRules.IsConfirmed(DeviceConfirmations.None, [existing], "phone"));
    }

    [Fact]
    public void A_forgotten_device_needs_a_code_again()
    {
        var state = DeviceCodeRules.MarkConfirmed(DeviceConfirmations.None, "phone");

        state = DeviceCodeRules.Forget(state, "phone");

        Assert.False(DeviceCodeRules.IsConfirmed(state, [], "phone"));
    }

    [Fact]
    public void Pending_operations_are_forgotten_an_hour_after_their_last_code()
    {
        var (state, _) = DeviceCodeRules.Issue(DeviceConfirmations.None, DeviceOperation.Register, Phone, "right", Now);

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Null(DeviceCodeRules.PendingFor(state, "phone", Now));
        Assert.IsType<ConfirmDecision.NotFound>(DeviceCodeRules.DecideConfirm(state, "phone", "right", Now));
    }

    [Fact]
    public void Pending_operations_wrong_codes_and_confirmed_devices_stay_bounded()
    {
        var state = DeviceConfirmations.None;
        for (var i = 0; i < 100; i++)
        {
            var device = new RegisterDevice($"device-{i}", "Device", Platform.Web);
            (state, _) = DeviceCodeRules.Issue(state, DeviceOperation.Register, device, "right", Now);
            if (DeviceCodeRules.DecideConfirm(state, device.DeviceId, "wrong", Now) is ConfirmDecision.Wrong wrong)
            {
                state = wrong.Next;
            }

            state = DeviceCodeRules.MarkConfirmed(state, device.DeviceId);
        }

        Assert.Equal(DeviceCodeRules.PendingMax, state.Pending.Count);
        Assert.Equal(DeviceCodeRules.WrongCodesPerWindow, state.WrongCodes.Count);
        Assert.Equal(DeviceCodeRules.ConfirmedKept, state.Confirmed.Count);
        Assert.Equal("device-99", state.Confirmed[0]);
    }
}
