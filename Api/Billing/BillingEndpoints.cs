using Learning.Access;
using Learning.Api.Auth;
using Learning.Api.Http;
using Learning.Billing;
using Learning.Common;
using Learning.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Learning.Api.Billing;

/// <summary>
/// Plans, Stripe Checkout and the billing portal for clients, Stripe's webhook, and operators' reconciliation. The
/// user's grain decides the terms (trial, already subscribed); these routes only validate, call Stripe and map.
/// </summary>
public static class BillingEndpoints
{
    public const string WebhookPath = "/api/billing/webhook";

    /// <summary>Stripe's signature tolerance as the contract fixes it.</summary>
    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/plans", Plans).WithTags("Billing").Documented("Plans on offer");
        var billing = app.MapGroup("/api/billing").WithTags("Billing");
        billing.MapPost("/checkout", Checkout).RequireCallerCheckedByGrain()
            .Documented<CheckoutRequest>("Start a Stripe Checkout for a plan (a trial only for a user who never had one)",
                ErrorCodes.AlreadySubscribed, ErrorCodes.BillingUnavailable, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        billing.MapPost("/portal", Portal).RequireCallerCheckedByGrain()
            .Documented<PortalRequest>("Open Stripe's billing portal for the user's customer",
                ErrorCodes.NoBillingAccount, ErrorCodes.BillingUnavailable, ErrorCodes.NotAuthenticated, ErrorCodes.TokenRevoked);
        billing.MapPost("/webhook", StripeWebhook.Receive).AllowAnonymous()
            .Documented("Stripe's webhook: verified on the raw body (Stripe-Signature), recorded once by event id, then applied",
                ErrorCodes.InvalidSignature, ErrorCodes.PayloadTooLarge);
        app.MapPost("/api/admin/users/{id}/billing/reconcile", Reconcile).WithTags("Billing")
            .RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .Documented("Re-read the user's subscription from Stripe and apply it",
                ErrorCodes.Forbidden, ErrorCodes.UserNotFound, ErrorCodes.NoBillingAccount, ErrorCodes.BillingUnavailable);
        return app;
    }

    private static Ok<PlanResponse[]> Plans(IOptions<BillingOptions> options) =>
        TypedResults.Ok(options.Value.Plans
            .Select(p => new PlanResponse(p.Id, p.Name, p.Interval, p.Amount, p.Currency, p.TrialDays))
            .ToArray());

    private static async Task<Results<Created<CheckoutResponse>, ProblemHttpResult>> Checkout(
        JsonBody<CheckoutRequest> body, IGrainFactory grains, IStripeGateway stripe, IOptions<BillingOptions> options, HttpContext http)
    {
        var caller = http.RequireCaller();
        var request = body.Value;
        var errors = new RequestErrors();
        var plan = options.Value.PlanById(request.PlanId);
        if (plan is null)
        {
            errors.Add("plan_id", "No such plan; see GET /api/plans.");
        }

        CheckOrigin(errors, options.Value, "success_url", request.SuccessUrl);
        CheckOrigin(errors, options.Value, "cancel_url", request.CancelUrl);
        if (errors.Any)
        {
            return ApiProblem.Validation(errors.ToDictionary());
        }

        var terms = await grains.GetGrain<IUserBillingGrain>(caller.UserId).GetCheckoutTerms(caller);
        if (terms.Error is { } refused)
        {
            return ApiProblem.From(refused, http);
        }

        try
        {
            var session = await stripe.CreateCheckoutAsync(plan!, terms.Value!, request.SuccessUrl!, request.CancelUrl!, http.RequestAborted);
            return TypedResults.Created((string?)null, new CheckoutResponse(session.Id, session.Url));
        }
        catch (BillingUnavailableException exception)
        {
            return Unavailable(exception);
        }
    }

    private static async Task<Results<Created<PortalResponse>, ProblemHttpResult>> Portal(
        JsonBody<PortalRequest> body, IGrainFactory grains, IStripeGateway stripe, IOptions<BillingOptions> options, HttpContext http)
    {
        var caller = http.RequireCaller();
        var errors = new RequestErrors();
        CheckOrigin(errors, options.Value, "return_url", body.Value.ReturnUrl);
        if (errors.Any)
        {
            return ApiProblem.Validation(errors.ToDictionary());
        }

        var customer = await grains.GetGrain<IUserBillingGrain>(caller.UserId).GetBillingCustomer(caller);
        if (customer.Error is { } refused)
        {
            return ApiProblem.From(refused, http);
        }

        try
        {
            var url = await stripe.CreatePortalAsync(customer.Value!, body.Value.ReturnUrl!, http.RequestAborted);
            return TypedResults.Created((string?)null, new PortalResponse(url));
        }
        catch (BillingUnavailableException exception)
        {
            return Unavailable(exception);
        }
    }

    /// <summary>
    /// Operators' repair after a lost or given-up event: the customer's newest subscription, as Stripe has it now, is
    /// applied like an event created now (so it wins over everything applied before, and loses to any later event).
    /// </summary>
    private static async Task<Results<Ok<ReconcileResponse>, ProblemHttpResult>> Reconcile(
        string id, IGrainFactory grains, IStripeGateway stripe, IOptions<BillingOptions> options,
        [FromKeyedServices(Clock.ServiceKey)] TimeProvider clock, HttpContext http)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, "User not found.");
        }

        var customer = await grains.GetGrain<IUserBillingGrain>(userId).FindBillingCustomer();
        if (customer.Error is { } refused)
        {
            return ApiProblem.From(refused, http);
        }

        if (customer.Value is not { } customerId)
        {
            return ApiProblem.Create(StatusCodes.Status404NotFound, ErrorCodes.NoBillingAccount, "The user has no Stripe customer.");
        }

        try
        {
            var subscriptions = await stripe.ListSubscriptionsAsync(customerId, http.RequestAborted);
            if (subscriptions.Count == 0)
            {
                return TypedResults.Ok(new ReconcileResponse(SubscriptionStatuses.None, null, customerId));
            }

            var now = clock.GetUtcNow();
            var newest = subscriptions[0];
            var change = StripeEventTranslator.Subscription($"reconcile:{now.ToUnixTimeMilliseconds()}", now, newest,
                price => options.Value.PlanByPrice(price)?.Id, deleted: false);
            change = change with { Deleted = change.Status is SubscriptionStatuses.Canceled or SubscriptionStatuses.IncompleteExpired };
            var admin = http.RequireCaller();
            var applied = await grains.GetGrain<IUserAccessGrain>(userId).ApplySubscription(change, admin.Client);
            return applied.ToHttp(http, _ => TypedResults.Ok(new ReconcileResponse(change.Status, change.SubscriptionId, customerId)));
        }
        catch (BillingUnavailableException exception)
        {
            return Unavailable(exception);
        }
    }

    private static void CheckOrigin(RequestErrors errors, BillingOptions options, string field, string? url)
    {
        if (!string.IsNullOrEmpty(url) && !RedirectOrigins.Allows(options.AllowedRedirectOrigins, url))
        {
            errors.Add(field, "Must be an absolute URL on one of the allowed origins (Billing:AllowedRedirectOrigins).");
        }
    }

    private static ProblemHttpResult Unavailable(BillingUnavailableException exception) =>
        ApiProblem.Create(StatusCodes.Status503ServiceUnavailable, ErrorCodes.BillingUnavailable,
            $"Billing is unavailable right now; retry shortly. ({exception.Message})");
}
