using System.Text.Json;
using Learning.Access;
using Learning.Billing;
using Microsoft.Extensions.Options;
using Stripe;

namespace Learning.Api.Billing;

/// <summary>Stripe could not be reached, refused, or is not configured: the route answers <c>503 billing_unavailable</c>.</summary>
public sealed class BillingUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record CheckoutSessionCreated(string Id, string Url);

/// <summary>The calls this service makes to Stripe. Applying webhook events never calls it; reconciliation does, on demand.</summary>
public interface IStripeGateway
{
    Task<CheckoutSessionCreated> CreateCheckoutAsync(BillingPlan plan, CheckoutTerms terms, string successUrl, string cancelUrl,
        CancellationToken cancellationToken);

    Task<string> CreatePortalAsync(string customerId, string returnUrl, CancellationToken cancellationToken);

    /// <summary>The customer's subscriptions as Stripe's JSON objects, newest first (for reconciliation).</summary>
    Task<IReadOnlyList<JsonElement>> ListSubscriptionsAsync(string customerId, CancellationToken cancellationToken);
}

/// <summary>
/// Stripe through Stripe.net, against <c>Billing:ApiBase</c> (Stripe's, or a test's local stand-in). Every failure to
/// get an answer (network, timeout, Stripe's refusal) becomes <see cref="BillingUnavailableException"/>, logged with
/// Stripe's request id when there is one.
/// </summary>
public sealed partial class StripeGateway : IStripeGateway
{
    private readonly BillingOptions _options;
    private readonly StripeClient? _client;
    private readonly ILogger<StripeGateway> _logger;

    public StripeGateway(IOptions<BillingOptions> options, ILogger<StripeGateway> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (_options.IsStripeConfigured)
        {
            var http = new SystemNetHttpClient(new HttpClient { Timeout = _options.StripeTimeout }, maxNetworkRetries: 1);
            _client = new StripeClient(_options.SecretKey, httpClient: http, apiBase: _options.ApiBase.TrimEnd('/'));
        }
    }

    public Task<CheckoutSessionCreated> CreateCheckoutAsync(BillingPlan plan, CheckoutTerms terms, string successUrl, string cancelUrl,
        CancellationToken cancellationToken) =>
        CallAsync("create a checkout session", async client =>
        {
            var userId = terms.UserId.ToString();
            var options = new Stripe.Checkout.SessionCreateOptions
            {
                Mode = "subscription",
                LineItems = [new Stripe.Checkout.SessionLineItemOptions { Price = plan.PriceId, Quantity = 1 }],
                SuccessUrl = successUrl,
                CancelUrl = cancelUrl,
                // The webhook links the customer the checkout creates to this user through these.
                ClientReferenceId = userId,
                Metadata = new Dictionary<string, string> { ["user_id"] = userId, ["plan_id"] = plan.Id },
                SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions
                {
                    Metadata = new Dictionary<string, string> { ["user_id"] = userId, ["plan_id"] = plan.Id },
                    TrialPeriodDays = terms.TrialAllowed && plan.TrialDays > 0 ? plan.TrialDays : null,
                },
                AllowPromotionCodes = true,
            };
            if (terms.CustomerId is { } customer)
            {
                options.Customer = customer;
            }
            else
            {
                options.CustomerEmail = terms.Email;
            }

            var session = await new Stripe.Checkout.SessionService(client).CreateAsync(options, cancellationToken: cancellationToken);
            return new CheckoutSessionCreated(session.Id, session.Url);
        });

    public Task<string> CreatePortalAsync(string customerId, string returnUrl, CancellationToken cancellationToken) =>
        CallAsync("create a billing portal session", async client =>
        {
            var session = await new Stripe.BillingPortal.SessionService(client).CreateAsync(
                new Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl }, cancellationToken: cancellationToken);
            return session.Url;
        });

    public Task<IReadOnlyList<JsonElement>> ListSubscriptionsAsync(string customerId, CancellationToken cancellationToken) =>
        CallAsync("list a customer's subscriptions", async client =>
        {
            var list = await new SubscriptionService(client).ListAsync(
                new SubscriptionListOptions { Customer = customerId, Status = "all", Limit = 10 }, cancellationToken: cancellationToken);
            // Stripe's own JSON, read by the same translator as webhook events (whatever the API version).
            using var document = JsonDocument.Parse(list.StripeResponse.Content);
            IReadOnlyList<JsonElement> subscriptions = document.RootElement.GetProperty("data").EnumerateArray()
                .Select(s => s.Clone())
                .OrderByDescending(s => s.TryGetProperty("created", out var created) && created.TryGetInt64(out var at) ? at : 0)
                .ToList();
            return subscriptions;
        });

    private async Task<T> CallAsync<T>(string what, Func<StripeClient, Task<T>> call)
    {
        if (_client is null)
        {
            throw new BillingUnavailableException("Billing is not configured (Billing:SecretKey).");
        }

        try
        {
            return await call(_client);
        }
        catch (StripeException exception)
        {
            LogRefused(what, (int)exception.HttpStatusCode, exception.StripeError?.Code, exception.StripeResponse?.RequestId, exception.Message);
            throw new BillingUnavailableException("Stripe refused the request.", exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            LogUnreachable(what, exception);
            throw new BillingUnavailableException("Stripe cannot be reached.", exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Stripe refused to {StripeCall}: HTTP {StripeStatus}, code {StripeCode}, request {StripeRequestId}: {StripeMessage}")]
    private partial void LogRefused(string stripeCall, int stripeStatus, string? stripeCode, string? stripeRequestId, string stripeMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe cannot be reached to {StripeCall}")]
    private partial void LogUnreachable(string stripeCall, Exception exception);
}
