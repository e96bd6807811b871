using Learning.Billing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Learning.UnitTests.Billing;

/// <summary>Start-up validation of <c>Billing</c>: settings that would only fail at a customer's checkout fail the start.</summary>
public sealed class BillingOptionsTests
{
    private static BillingPlan Plan() => new()
    {
        Id = "monthly", Name = "Monthly", Interval = "month", Amount = 1500, Currency = "eur", TrialDays = 14, PriceId = "price_1",
    };

    private static IReadOnlyList<string> Problems(string environment, BillingOptions options, string? accessMode = "subscription")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Access:Mode"] = accessMode }).Build();
        var result = new BillingOptionsValidator(configuration, new Environment(environment)).Validate(null, options);
        return result.Failed ? result.Failures!.ToList() : [];
    }

    [Fact]
    public void Selling_subscriptions_in_production_needs_the_secret_key_and_the_webhook_secret()
    {
        var problems = Problems("Production", new BillingOptions { Plans = [Plan()] });

        Assert.Contains("Billing:SecretKey is required when Access:Mode is subscription.", problems);
        Assert.Contains("Billing:WebhookSecret is required when Access:Mode is subscription.", problems);
        Assert.Empty(Problems("Development", new BillingOptions { Plans = [Plan()] }));
        Assert.Empty(Problems("Production", new BillingOptions(), accessMode: "open"));
    }

    [Fact]
    public void Complete_production_settings_pass()
    {
        Assert.Empty(Problems("Production", new BillingOptions
        {
            SecretKey = "sk_live_x", WebhookSecret = "whsec_x", Plans = [Plan()], AllowedRedirectOrigins = ["https://app.learn.test"],
        }));
    }

    [Theory]
    [InlineData("price", "", "Billing:Plans:0:PriceId must be set (Stripe's price id).")]
    [InlineData("interval", "fortnight", "Billing:Plans:0:Interval must be day, week, month or year.")]
    [InlineData("amount", "-1", "Billing:Plans:0:Amount must not be negative.")]
    [InlineData("currency", "EURO", "Billing:Plans:0:Currency must be a lower-case ISO 4217 code (eur).")]
    [InlineData("trial", "-3", "Billing:Plans:0:TrialDays must be between 0 and 730.")]
    public void A_malformed_plan_is_refused(string field, string value, string problem)
    {
        var plan = Plan();
        switch (field)
        {
            case "price": plan.PriceId = value; break;
            case "interval": plan.Interval = value; break;
            case "amount": plan.Amount = long.Parse(value); break;
            case "currency": plan.Currency = value; break;
            default: plan.TrialDays = int.Parse(value); break;
        }

        Assert.Contains(problem, Problems("Development", new BillingOptions { Plans = [plan] }));
    }

    [Fact]
    public void Plan_ids_are_unique()
    {
        Assert.Contains("Billing:Plans:1:Id must be set and unique.", Problems("Development", new BillingOptions { Plans = [Plan(), Plan()] }));
    }

    [Theory]
    [InlineData("https://app.learn.test/billing")]
    [InlineData("app.learn.test")]
    [InlineData("ftp://app.learn.test")]
    [InlineData("https://user@app.learn.test")]
    public void Redirect_origins_must_be_bare_absolute_origins(string origin)
    {
        Assert.Single(Problems("Development", new BillingOptions { AllowedRedirectOrigins = [origin] }));
    }

    [Theory]
    [InlineData("http://stripe.internal", "Production", false)]
    [InlineData("http://127.0.0.1:12111", "Production", true)]
    [InlineData("http://stripe.internal", "Development", true)]
    [InlineData("https://api.stripe.com", "Production", true)]
    [InlineData("not a url", "Development", false)]
    public void The_api_base_is_https_except_for_a_loopback_stand_in_or_in_development(string apiBase, string environment, bool accepted)
    {
        var problems = Problems(environment, new BillingOptions { ApiBase = apiBase }, accessMode: "open");

        Assert.Equal(accepted, problems.Count == 0);
    }

    [Theory]
    [InlineData("https://app.learn.test/billing/done?x=1", true)]
    [InlineData("https://APP.learn.test/done", true)]
    [InlineData("https://app.learn.test:8443/done", false)]
    [InlineData("http://app.learn.test/done", false)]
    [InlineData("https://app.learn.test.evil.test/done", false)]
    [InlineData("https://evil.test@app.learn.test/done", false)]
    [InlineData("/done", false)]
    [InlineData("javascript:alert(1)", false)]
    public void Return_urls_must_be_on_an_allowed_origin(string url, bool allowed)
    {
        Assert.Equal(allowed, RedirectOrigins.Allows(["https://app.learn.test/"], url));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
