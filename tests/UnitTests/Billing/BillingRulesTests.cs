using System.Collections.Immutable;
using Learning.Access;
using Learning.Api.Billing;
using Learning.Billing;

namespace Learning.UnitTests.Billing;

/// <summary>The user-side billing rules, the processor's backoff and the webhook's signature check, on a fixed clock.</summary>
public sealed class BillingRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly AccessOptions Access = new() { PastDueGrace = TimeSpan.FromDays(3) };

    private static SubscriptionRecord Subscription(string status, bool deleted = false, bool cancelAtPeriodEnd = false, DateTimeOffset? periodEnd = null) =>
        new("sub_1", "cus_1", status, "monthly", periodEnd ?? Now.AddDays(20), cancelAtPeriodEnd, null, Now.AddDays(-1), Now.AddDays(-1))
        {
            Deleted = deleted,
            PastDueSince = status == SubscriptionStatuses.PastDue ? Now.AddDays(-10) : null,
        };

    [Theory]
    [InlineData(SubscriptionStatuses.Trialing, false, true)]
    [InlineData(SubscriptionStatuses.Active, false, true)]
    [InlineData(SubscriptionStatuses.PastDue, false, true)]
    [InlineData(SubscriptionStatuses.Unpaid, false, true)]
    [InlineData(SubscriptionStatuses.Active, true, false)]
    [InlineData(SubscriptionStatuses.Canceled, false, false)]
    [InlineData(SubscriptionStatuses.Incomplete, false, false)]
    [InlineData(SubscriptionStatuses.IncompleteExpired, false, false)]
    public void A_standing_subscription_blocks_a_new_checkout(string status, bool deleted, bool blocks)
    {
        Assert.Equal(blocks, BillingRules.BlocksCheckout(Subscription(status, deleted), Now, Access));
    }

    [Fact]
    public void No_subscription_or_one_cancelled_at_a_past_period_end_does_not_block()
    {
        Assert.False(BillingRules.BlocksCheckout(null, Now, Access));
        Assert.False(BillingRules.BlocksCheckout(Subscription(SubscriptionStatuses.Active, cancelAtPeriodEnd: true, periodEnd: Now), Now, Access));
        Assert.True(BillingRules.BlocksCheckout(Subscription(SubscriptionStatuses.Active, cancelAtPeriodEnd: true, periodEnd: Now.AddSeconds(1)), Now, Access));
    }

    [Fact]
    public void Remembered_event_ids_are_bounded_dropping_the_oldest()
    {
        var ids = ImmutableList<string>.Empty;
        for (var i = 0; i < BillingRules.RememberedEvents + 5; i++)
        {
            ids = BillingRules.Remember(ids, $"evt_{i}");
        }

        Assert.Equal(BillingRules.RememberedEvents, ids.Count);
        Assert.Equal("evt_5", ids[0]);
        Assert.Equal($"evt_{BillingRules.RememberedEvents + 4}", ids[^1]);
    }

    [Fact]
    public void Backoff_doubles_up_to_its_cap_with_jitter_of_up_to_half_and_gives_up_after_the_last_attempt()
    {
        var options = new BillingProcessingOptions { BackoffBase = TimeSpan.FromSeconds(5), BackoffCap = TimeSpan.FromMinutes(1), MaxAttempts = 4 };

        Assert.Equal(TimeSpan.FromSeconds(5), BillingRetryRules.Backoff(1, options, 0.999999).RoundTo());
        Assert.Equal(TimeSpan.FromSeconds(20), BillingRetryRules.Backoff(3, options, 0.999999).RoundTo());
        Assert.Equal(TimeSpan.FromMinutes(1), BillingRetryRules.Backoff(30, options, 0.999999).RoundTo());
        Assert.Equal(TimeSpan.FromSeconds(10), BillingRetryRules.Backoff(3, options, 0));
        Assert.Equal(Now.AddSeconds(5), BillingRetryRules.NextAttempt(2, Now, options, 0));
        Assert.Null(BillingRetryRules.NextAttempt(4, Now, options, 0));
    }

    [Fact]
    public void Without_a_limit_retries_go_on()
    {
        var options = new BillingProcessingOptions { MaxAttempts = 0 };

        Assert.NotNull(BillingRetryRules.NextAttempt(10_000, Now, options, 0));
    }

    [Fact]
    public void The_signature_is_Stripes_hmac_over_timestamp_and_body_within_five_minutes_of_the_business_clock()
    {
        const string secret = "whsec_unit";
        const string body = """{"id":"evt_1","object":"event"}""";

        Assert.True(StripeWebhook.IsSigned(body, Sign(body, secret, Now.AddMinutes(-5)), secret, Now, out _));
        Assert.False(StripeWebhook.IsSigned(body, Sign(body, secret, Now.AddMinutes(-5).AddSeconds(-1)), secret, Now, out _));
        Assert.False(StripeWebhook.IsSigned(body, Sign(body, secret, Now.AddMinutes(6)), secret, Now, out _));
        Assert.False(StripeWebhook.IsSigned(body + " ", Sign(body, secret, Now), secret, Now, out _));
        Assert.False(StripeWebhook.IsSigned(body, Sign(body, "whsec_other", Now), secret, Now, out _));
        Assert.False(StripeWebhook.IsSigned(body, Sign(body, secret, Now), null, Now, out var why));
        Assert.Contains("WebhookSecret", why);
        Assert.False(StripeWebhook.IsSigned(body, "", secret, Now, out _));
        // Stripe may send several v1 signatures while a secret is being rolled: one matching is enough.
        Assert.True(StripeWebhook.IsSigned(body, $"{Sign(body, secret, Now)},v1={new string('0', 64)}", secret, Now, out _));
    }

    private static string Sign(string body, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds();
        var mac = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}

internal static class TimeSpanRounding
{
    public static TimeSpan RoundTo(this TimeSpan value) => TimeSpan.FromSeconds(Math.Round(value.TotalSeconds));
}
