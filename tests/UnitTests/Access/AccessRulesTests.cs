using Learning.Access;
using Learning.Audit;
using Learning.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Access;

public sealed class AccessRulesTests
{
    private static readonly AccessOptions Subscription = new() { Mode = AccessMode.Subscription };
    private static readonly AccessOptions Open = new();
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void The_defaults_are_open_mode_and_three_days_of_grace()
    {
        Assert.Equal(AccessMode.Open, Open.Mode);
        Assert.Equal(TimeSpan.FromDays(3), Open.PastDueGrace);
    }

    [Fact]
    public void Open_mode_gives_everyone_access_with_no_end()
    {
        Assert.Equal(new AccessDecision(true, AccessSources.Open, null), AccessRules.Decide(AccessState.None, isAdmin: false, Now, Open));
    }

    [Fact]
    public void In_subscription_mode_a_user_without_subscription_or_grant_has_no_access_but_free_previews_play()
    {
        var decision = AccessRules.Decide(AccessState.None, isAdmin: false, Now, Subscription);

        Assert.Equal(AccessDecision.None, decision);
        Assert.True(AccessRules.MayWatch(decision, freePreview: true));
        Assert.False(AccessRules.MayWatch(decision, freePreview: false));
        Assert.Equal(DateTimeOffset.MinValue, AccessRules.HoldsUntil(decision));
    }

    [Fact]
    public void Admins_may_watch_everything_in_subscription_mode()
    {
        Assert.True(AccessRules.Decide(AccessState.None, isAdmin: true, Now, Subscription).HasAccess);
    }

    // Row by row: a subscription in each status, an hour into it, with the period ending in 10 days.
    [Theory]
    [InlineData(SubscriptionStatuses.Trialing, false, true, null)]
    [InlineData(SubscriptionStatuses.Active, false, true, null)]
    [InlineData(SubscriptionStatuses.Active, true, true, 10 * 24)]
    [InlineData(SubscriptionStatuses.Trialing, true, true, 10 * 24)]
    [InlineData(SubscriptionStatuses.PastDue, false, true, 3 * 24)]
    [InlineData(SubscriptionStatuses.Canceled, true, true, 10 * 24)]
    [InlineData(SubscriptionStatuses.Canceled, false, false, null)]
    [InlineData(SubscriptionStatuses.Unpaid, false, false, null)]
    [InlineData(SubscriptionStatuses.Incomplete, false, false, null)]
    [InlineData(SubscriptionStatuses.IncompleteExpired, false, false, null)]
    [InlineData(SubscriptionStatuses.Paused, false, false, null)]
    public void Each_status_gives_the_contracts_access(string status, bool cancelAtPeriodEnd, bool hasAccess, int? hoursUntilEnd)
    {
        var state = With(Record(status, cancelAtPeriodEnd: cancelAtPeriodEnd) with { PastDueSince = status == SubscriptionStatuses.PastDue ? Start : null });

        var decision = AccessRules.Decide(state, isAdmin: false, Now, Subscription);

        Assert.Equal(hasAccess, decision.HasAccess);
        Assert.Equal(hoursUntilEnd is { } h ? Start.AddHours(h) : null, decision.Until);
        Assert.Equal(hasAccess ? AccessSources.Subscription : null, decision.Source);
    }

    [Fact]
    public void A_deleted_subscription_gives_no_access_whatever_its_status()
    {
        var state = With(Record(SubscriptionStatuses.Active) with { Deleted = true });

        Assert.False(AccessRules.Decide(state, isAdmin: false, Now, Subscription).HasAccess);
    }

    [Fact]
    public void Cancel_at_period_end_keeps_access_until_the_period_end_and_not_a_moment_after()
    {
        var state = With(Record(SubscriptionStatuses.Active, cancelAtPeriodEnd: true));
        var periodEnd = Start.AddDays(10);

        _clock.SetUtcNow(periodEnd.AddTicks(-1));
        Assert.True(AccessRules.Decide(state, isAdmin: false, Now, Subscription).HasAccess);
        _clock.SetUtcNow(periodEnd);
        Assert.False(AccessRules.Decide(state, isAdmin: false, Now, Subscription).HasAccess);
    }

    [Fact]
    public void The_past_due_grace_counts_from_the_first_past_due_not_from_later_ones()
    {
        var first = Change("evt_1", Start, SubscriptionStatuses.PastDue);
        var state = AccessRules.Apply(AccessState.None, first, Now).State;
        _clock.Advance(TimeSpan.FromDays(2));
        state = AccessRules.Apply(state, Change("evt_2", Now, SubscriptionStatuses.PastDue), Now).State;

        Assert.Equal(Start, state.Subscription!.PastDueSince);
        _clock.SetUtcNow(Start + Subscription.PastDueGrace - TimeSpan.FromSeconds(1));
        Assert.True(AccessRules.Decide(state, isAdmin: false, Now, Subscription).HasAccess);
        _clock.SetUtcNow(Start + Subscription.PastDueGrace);
        Assert.False(AccessRules.Decide(state, isAdmin: false, Now, Subscription).HasAccess);
    }

    [Fact]
    public void Paying_ends_past_due_and_a_later_past_due_starts_a_new_grace()
    {
        var state = AccessRules.Apply(AccessState.None, Change("evt_1", Start, SubscriptionStatuses.PastDue), Now).State;
        state = AccessRules.Apply(state, Change("evt_2", Start.AddDays(1), SubscriptionStatuses.Active), Now).State;
        Assert.Null(state.Subscription!.PastDueSince);

        state = AccessRules.Apply(state, Change("evt_3", Start.AddDays(5), SubscriptionStatuses.PastDue), Now).State;

        Assert.Equal(Start.AddDays(5), state.Subscription!.PastDueSince);
    }

    [Fact]
    public void The_grace_setting_is_honoured()
    {
        var shortGrace = new AccessOptions { Mode = AccessMode.Subscription, PastDueGrace = TimeSpan.FromHours(1) };
        var state = With(Record(SubscriptionStatuses.PastDue) with { PastDueSince = Start });

        Assert.Equal(Start.AddHours(1), AccessRules.Decide(state, isAdmin: false, Now, shortGrace).Until);
    }

    [Fact]
    public void A_grant_gives_access_until_its_end()
    {
        var state = AccessState.None with { Grants = [Grant(Start.AddDays(2))] };

        Assert.Equal(new AccessDecision(true, AccessSources.Grant, Start.AddDays(2)), AccessRules.Decide(state, isAdmin: false, Now, Subscription));
        _clock.SetUtcNow(Start.AddDays(2));
        Assert.False(AccessRules.Decide(state, isAdmin: false, Now, Subscription).HasAccess);
    }

    [Fact]
    public void Access_lasts_until_the_later_of_a_subscription_and_a_grant_and_has_no_end_when_either_has_none()
    {
        var grant = Grant(Start.AddDays(20));
        var ending = With(Record(SubscriptionStatuses.Active, cancelAtPeriodEnd: true)) with { Grants = [grant] };
        var unending = With(Record(SubscriptionStatuses.Active)) with { Grants = [grant] };

        Assert.Equal(Start.AddDays(20), AccessRules.Decide(ending, isAdmin: false, Now, Subscription).Until);
        Assert.Equal(AccessSources.Subscription, AccessRules.Decide(ending, isAdmin: false, Now, Subscription).Source);
        Assert.Null(AccessRules.Decide(unending, isAdmin: false, Now, Subscription).Until);
        Assert.Null(AccessRules.NextDeadline(AccessRules.Decide(unending, isAdmin: false, Now, Subscription)));
        Assert.Equal(Start.AddDays(20), AccessRules.NextDeadline(AccessRules.Decide(ending, isAdmin: false, Now, Subscription)));
    }

    // --- event order ---

    [Fact]
    public void An_event_older_than_the_last_applied_is_remembered_and_ignored()
    {
        var state = AccessRules.Apply(AccessState.None, Change("evt_new", Start.AddMinutes(5), SubscriptionStatuses.Active), Now).State;

        var applied = AccessRules.Apply(state, Change("evt_old", Start, SubscriptionStatuses.Incomplete), Now);

        Assert.True(applied.Stale);
        Assert.Null(applied.AuditAction);
        Assert.Equal(SubscriptionStatuses.Active, applied.State.Subscription!.Status);
        Assert.Contains("evt_old", applied.State.AppliedEventIds);
    }

    [Theory]
    [InlineData(SubscriptionStatuses.Active, SubscriptionStatuses.PastDue, SubscriptionStatuses.PastDue)]
    [InlineData(SubscriptionStatuses.PastDue, SubscriptionStatuses.Active, SubscriptionStatuses.PastDue)]
    [InlineData(SubscriptionStatuses.Incomplete, SubscriptionStatuses.Trialing, SubscriptionStatuses.Trialing)]
    [InlineData(SubscriptionStatuses.Trialing, SubscriptionStatuses.Active, SubscriptionStatuses.Active)]
    [InlineData(SubscriptionStatuses.Unpaid, SubscriptionStatuses.PastDue, SubscriptionStatuses.Unpaid)]
    [InlineData(SubscriptionStatuses.Canceled, SubscriptionStatuses.Unpaid, SubscriptionStatuses.Canceled)]
    [InlineData(SubscriptionStatuses.Active, SubscriptionStatuses.Canceled, SubscriptionStatuses.Canceled)]
    public void On_equal_created_the_more_final_status_wins_whichever_arrives_first(string first, string second, string expected)
    {
        var state = AccessRules.Apply(AccessState.None, Change("evt_a", Start, first), Now).State;

        state = AccessRules.Apply(state, Change("evt_b", Start, second), Now).State;

        Assert.Equal(expected, state.Subscription!.Status);
    }

    [Fact]
    public void A_repeated_event_changes_nothing()
    {
        var state = AccessRules.Apply(AccessState.None, Change("evt_1", Start, SubscriptionStatuses.Active), Now).State;

        var repeat = AccessRules.Apply(state, Change("evt_1", Start.AddDays(1), SubscriptionStatuses.Canceled) with { Deleted = true }, Now);

        Assert.True(repeat.Repeat);
        Assert.Same(state, repeat.State);
        Assert.Null(repeat.AuditAction);
    }

    [Fact]
    public void Changes_are_audited_as_start_update_and_end()
    {
        var started = AccessRules.Apply(AccessState.None, Change("evt_1", Start, SubscriptionStatuses.Trialing), Now);
        var updated = AccessRules.Apply(started.State, Change("evt_2", Start.AddDays(1), SubscriptionStatuses.Active), Now);
        var ended = AccessRules.Apply(updated.State, Change("evt_3", Start.AddDays(2), SubscriptionStatuses.Canceled) with { Deleted = true }, Now);
        var again = AccessRules.Apply(ended.State, Change("evt_4", Start.AddDays(3), SubscriptionStatuses.Canceled) with { Deleted = true }, Now);

        Assert.Equal(AuditActions.SubscriptionStart, started.AuditAction);
        Assert.Equal(AuditActions.SubscriptionUpdate, updated.AuditAction);
        Assert.Equal(AuditActions.SubscriptionEnd, ended.AuditAction);
        Assert.Equal(AuditActions.SubscriptionUpdate, again.AuditAction);
        Assert.True(started.State.HadTrial);
        Assert.Equal("cus_1", started.State.CustomerId);
    }

    [Fact]
    public void A_new_subscription_replaces_an_ended_one_but_a_late_event_of_an_old_one_never_replaces_a_live_one()
    {
        var state = AccessRules.Apply(AccessState.None, Change("evt_1", Start, SubscriptionStatuses.Canceled, "sub_old") with { Deleted = true }, Now).State;

        var renewed = AccessRules.Apply(state, Change("evt_2", Start.AddDays(1), SubscriptionStatuses.Active, "sub_new"), Now);
        var late = AccessRules.Apply(renewed.State, Change("evt_3", Start.AddDays(2), SubscriptionStatuses.Canceled, "sub_old") with { Deleted = true }, Now);

        Assert.Equal(AuditActions.SubscriptionStart, renewed.AuditAction);
        Assert.True(late.Stale);
        Assert.Equal("sub_new", late.State.Subscription!.SubscriptionId);
    }

    [Fact]
    public void Only_the_newest_event_ids_are_remembered()
    {
        var state = AccessState.None;
        for (var i = 0; i < AccessRules.AppliedEventIdsKept + 10; i++)
        {
            state = AccessRules.Apply(state, Change($"evt_{i}", Start.AddSeconds(i), SubscriptionStatuses.Active), Now).State;
        }

        Assert.Equal(AccessRules.AppliedEventIdsKept, state.AppliedEventIds.Count);
        Assert.Equal($"evt_{AccessRules.AppliedEventIdsKept + 9}", state.AppliedEventIds[^1]);
    }

    // --- grants ---

    [Theory]
    [InlineData(0, "Support", "until")]
    [InlineData(-60, "Support", "until")]
    [InlineData(60, "  ", "reason")]
    public void A_grant_must_end_in_the_future_and_give_a_reason(int minutesAhead, string reason, string field)
    {
        var result = AccessRules.AddGrant(AccessState.None, new NewGrant(Now.AddMinutes(minutesAhead), reason), Guid.NewGuid(), Guid.NewGuid(), Now);

        Assert.Equal(ErrorCodes.ValidationError, result.Error!.Code);
        Assert.True(result.Error.Errors!.ContainsKey(field));
    }

    [Fact]
    public void Adding_a_grant_drops_expired_ones_and_the_view_lists_live_grants_only()
    {
        var expired = Grant(Start.AddMinutes(-1));
        var actor = Guid.NewGuid();

        var (state, grant) = AccessRules.AddGrant(AccessState.None with { Grants = [expired] }, new NewGrant(Start.AddDays(1), " Refund "), Guid.NewGuid(), actor, Now).Value;

        Assert.Equal([grant], state.Grants);
        Assert.Equal("Refund", grant.Reason);
        Assert.Equal(actor, grant.ActorId);
        Assert.Equal(Start, grant.CreatedAt);
        Assert.Equal([grant], AccessRules.View(state, AccessRules.Decide(state, false, Now, Subscription), Now).Grants);
    }

    [Fact]
    public void The_view_of_a_user_who_never_subscribed_says_none()
    {
        var view = AccessRules.View(AccessState.None, AccessDecision.None, Now);

        Assert.Equal(SubscriptionStatuses.None, view.Status);
        Assert.False(view.Access.HasAccess);
        Assert.Empty(view.Grants);
    }

    [Fact]
    public void A_deleted_subscription_shows_as_canceled()
    {
        Assert.Equal(SubscriptionStatuses.Canceled, AccessRules.StatusOf(Record(SubscriptionStatuses.Active) with { Deleted = true }));
    }

    // --- options ---

    [Theory]
    [InlineData(null, null, null, true)]
    [InlineData("subscription", null, null, true)]
    [InlineData("paid", null, null, false)]
    [InlineData(null, "price_1", null, false)]
    [InlineData("open", "price_1", null, true)]
    [InlineData(null, null, "abc", false)]
    [InlineData(null, null, "-1.00:00:00", false)]
    [InlineData(null, null, "1.00:00:00", true)]
    public void Start_up_validation_names_bad_settings(string? mode, string? plan, string? grace, bool valid)
    {
        var values = new Dictionary<string, string?>();
        if (mode is not null)
        {
            values[AccessOptions.ModeKey] = mode;
        }

        if (plan is not null)
        {
            values["Billing:Plans:0:PriceId"] = plan;
        }

        if (grace is not null)
        {
            values[AccessOptions.PastDueGraceKey] = grace;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new AccessOptions();
        AccessOptions.Read(options, configuration);

        Assert.Equal(valid, new AccessOptionsValidator(configuration).Validate(null, options).Succeeded);
    }

    private static AccessState With(SubscriptionRecord record) => AccessState.None with { Subscription = record };

    private static SubscriptionRecord Record(string status, bool cancelAtPeriodEnd = false) =>
        new("sub_1", "cus_1", status, "monthly", Start.AddDays(10), cancelAtPeriodEnd, null, Start, Start);

    private static SubscriptionChange Change(string eventId, DateTimeOffset created, string status, string subscriptionId = "sub_1") =>
        new(eventId, created, subscriptionId, "cus_1", status, "price_1", Start.AddDays(30), false, null) { PlanId = "monthly" };

    private static AccessGrant Grant(DateTimeOffset until) => new(Guid.NewGuid(), until, "Support", Start.AddDays(-1), Guid.NewGuid());
}
