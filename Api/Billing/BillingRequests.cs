using Learning.Api.Http;

namespace Learning.Api.Billing;

public sealed record CheckoutRequest(string? PlanId, string? SuccessUrl, string? CancelUrl) : IRequestBody
{
    public void Validate(RequestErrors errors)
    {
        errors.RequireText("plan_id", PlanId, 100);
        errors.RequireText("success_url", SuccessUrl, 2048);
        errors.RequireText("cancel_url", CancelUrl, 2048);
    }
}

public sealed record PortalRequest(string? ReturnUrl) : IRequestBody
{
    public void Validate(RequestErrors errors) => errors.RequireText("return_url", ReturnUrl, 2048);
}

public sealed record PlanResponse(string Id, string Name, string Interval, long Amount, string Currency, int TrialDays);

public sealed record CheckoutResponse(string Id, string CheckoutUrl);

public sealed record PortalResponse(string PortalUrl);

public sealed record WebhookResponse(bool Received);

/// <summary>What reconciliation found at Stripe and applied (<c>status</c> <c>none</c>: the customer has no subscription).</summary>
public sealed record ReconcileResponse(string Status, string? SubscriptionId, string? CustomerId);
