using System.Net;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Billing;

[CollectionDefinition(Name)]
public sealed class BillingCollection : ICollectionFixture<BillingApiFactory>
{
    public const string Name = "billing";
}

/// <summary>Plans, Stripe Checkout and the billing portal over HTTP, against the local stand-in of Stripe's API.</summary>
[Collection(BillingCollection.Name)]
public sealed class BillingCheckoutTests(BillingApiFactory factory)
{
    private readonly ApiClient _api = factory.CreateApiClient();

    private static object Checkout(string plan = "monthly", string success = BillingApiFactory.AppOrigin + "/billing/done",
        string cancel = BillingApiFactory.AppOrigin + "/billing") => new { plan_id = plan, success_url = success, cancel_url = cancel };

    [Fact]
    public async Task Plans_come_from_configuration_without_their_price_ids()
    {
        var plans = (await _api.Get("/api/plans/")).AssertStatus(HttpStatusCode.OK);

        var monthly = plans.Json.EnumerateArray().First();
        Assert.Equal(2, plans.Json.GetArrayLength());
        Assert.Equal("monthly", monthly.GetProperty("id").GetString());
        Assert.Equal("month", monthly.GetProperty("interval").GetString());
        Assert.Equal(1500, monthly.GetProperty("amount").GetInt64());
        Assert.Equal("eur", monthly.GetProperty("currency").GetString());
        Assert.Equal(14, monthly.GetProperty("trial_days").GetInt32());
        Assert.DoesNotContain("price_", plans.Body);
    }

    [Fact]
    public async Task A_checkout_asks_Stripe_for_a_subscription_of_the_plans_price_for_this_user_with_a_first_trial()
    {
        var session = await _api.SignUp();
        var userId = await BillingApiFactory.UserIdAsync(_api, session);

        var created = (await _api.Post("/api/billing/checkout", Checkout(), session.Access)).AssertStatus(HttpStatusCode.Created);

        var id = created.Json.GetProperty("id").GetString()!;
        Assert.StartsWith("cs_test_", id);
        Assert.Equal($"https://checkout.stripe.com/c/pay/{id}", created.Json.GetProperty("checkout_url").GetString());
        var sent = factory.Stripe.RequestsTo("/v1/checkout/sessions").Single(r => r["client_reference_id"] == userId.ToString());
        Assert.Equal("subscription", sent["mode"]);
        Assert.Equal(BillingApiFactory.MonthlyPrice, sent["line_items[0][price]"]);
        Assert.Equal("1", sent["line_items[0][quantity]"]);
        Assert.Equal(userId.ToString(), sent["subscription_data[metadata][user_id]"]);
        Assert.Equal("14", sent["subscription_data[trial_period_days]"]);
        Assert.Equal("true", sent["allow_promotion_codes"]);
        Assert.Equal(session.Email, sent["customer_email"]);
        Assert.Equal(BillingApiFactory.AppOrigin + "/billing/done", sent["success_url"]);
    }

    [Fact]
    public async Task A_plan_without_trial_days_asks_for_no_trial()
    {
        var session = await _api.SignUp();
        var userId = await BillingApiFactory.UserIdAsync(_api, session);

        (await _api.Post("/api/billing/checkout", Checkout("yearly"), session.Access)).AssertStatus(HttpStatusCode.Created);

        var sent = factory.Stripe.RequestsTo("/v1/checkout/sessions").Single(r => r["client_reference_id"] == userId.ToString());
        Assert.Equal(BillingApiFactory.YearlyPrice, sent["line_items[0][price]"]);
        Assert.Null(sent["subscription_data[trial_period_days]"]);
    }

    [Theory]
    [InlineData("weekly", BillingApiFactory.AppOrigin + "/ok", BillingApiFactory.AppOrigin + "/no", "plan_id")]
    [InlineData("monthly", "https://evil.test/ok", BillingApiFactory.AppOrigin + "/no", "success_url")]
    [InlineData("monthly", BillingApiFactory.AppOrigin + "/ok", "http://app.learn.test/no", "cancel_url")]
    [InlineData("monthly", "/relative", BillingApiFactory.AppOrigin + "/no", "success_url")]
    [InlineData("monthly", "https://app.learn.test.evil.test/ok", BillingApiFactory.AppOrigin + "/no", "success_url")]
    public async Task An_unknown_plan_or_a_return_url_outside_the_allowed_origins_is_400_and_Stripe_is_not_called(
        string plan, string success, string cancel, string field)
    {
        var session = await _api.SignUp();
        var before = factory.Stripe.RequestsTo("/v1/checkout/sessions").Count();

        var refused = (await _api.Post("/api/billing/checkout", Checkout(plan, success, cancel), session.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");

        Assert.True(refused.Json.GetProperty("errors").TryGetProperty(field, out _), refused.Body);
        Assert.Equal(before, factory.Stripe.RequestsTo("/v1/checkout/sessions").Count());
    }

    [Fact]
    public async Task Checkout_and_portal_need_a_token()
    {
        (await _api.Post("/api/billing/checkout", Checkout())).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
        (await _api.Post("/api/billing/portal", new { return_url = BillingApiFactory.AppOrigin })).AssertProblem(HttpStatusCode.Unauthorized, "not_authenticated");
    }

    [Fact]
    public async Task The_portal_is_404_no_billing_account_before_a_checkout_completed_and_opens_for_the_linked_customer_after()
    {
        var session = await _api.SignUp();
        var userId = await BillingApiFactory.UserIdAsync(_api, session);
        var portal = new { return_url = BillingApiFactory.AppOrigin + "/account" };
        (await _api.Post("/api/billing/portal", portal, session.Access)).AssertProblem(HttpStatusCode.NotFound, "no_billing_account");

        var customer = StripeEvents.NewId("cus");
        await factory.ApplyAsync(_api, "checkout.session.completed", StripeEvents.CheckoutSession(userId, customer, StripeEvents.NewId("sub")));

        var opened = (await _api.Post("/api/billing/portal/", portal, session.Access)).AssertStatus(HttpStatusCode.Created);
        Assert.StartsWith("https://billing.stripe.com/p/session/", opened.Json.GetProperty("portal_url").GetString());
        var sent = factory.Stripe.RequestsTo("/v1/billing_portal/sessions").Single(r => r["customer"] == customer);
        Assert.Equal(BillingApiFactory.AppOrigin + "/account", sent["return_url"]);

        // The next checkout reuses the customer instead of creating another one.
        (await _api.Post("/api/billing/checkout", Checkout("yearly"), session.Access)).AssertStatus(HttpStatusCode.Created);
        var checkout = factory.Stripe.RequestsTo("/v1/checkout/sessions").Single(r => r["client_reference_id"] == userId.ToString());
        Assert.Equal(customer, checkout["customer"]);
        Assert.Null(checkout["customer_email"]);
    }

    [Fact]
    public async Task The_portal_refuses_a_return_url_outside_the_allowed_origins()
    {
        var session = await _api.SignUp();
        (await _api.Post("/api/billing/portal", new { return_url = "https://evil.test/" }, session.Access))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task Stripe_failing_is_503_billing_unavailable()
    {
        var session = await _api.SignUp();
        factory.Stripe.FailWith = 500;
        try
        {
            (await _api.Post("/api/billing/checkout", Checkout(), session.Access)).AssertProblem(HttpStatusCode.ServiceUnavailable, "billing_unavailable");
        }
        finally
        {
            factory.Stripe.FailWith = null;
        }
    }
}
