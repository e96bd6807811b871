using Learning.Access;
using Learning.Accounts;
using Learning.Audit;
using Learning.Billing;
using Learning.Common;

namespace Learning.Users;

public sealed partial class UserGrain
{
    public Task<Result<CheckoutTerms>> GetCheckoutTerms(Caller caller)
    {
        if (Authorize(caller) is { } refused)
        {
            return Task.FromResult<Result<CheckoutTerms>>(refused);
        }

        if (BillingRules.BlocksCheckout(State.Access.Subscription, Now, AccessSettings))
        {
            return Task.FromResult<Result<CheckoutTerms>>(new Failure(ErrorCodes.AlreadySubscribed,
                "You already have a subscription; change or cancel it on the billing portal."));
        }

        return Task.FromResult<Result<CheckoutTerms>>(
            new CheckoutTerms(UserId, State.Account!.Email, State.Access.CustomerId, TrialAllowed: !State.Access.HadTrial));
    }

    public Task<Result<string>> GetBillingCustomer(Caller caller) =>
        Task.FromResult<Result<string>>(Authorize(caller) is { } refused
            ? refused
            : State.Access.CustomerId is { } customer
                ? customer
                : new Failure(ErrorCodes.NoBillingAccount, "You have no billing account yet; subscribe to a plan first."));

    public Task<Result<string?>> FindBillingCustomer() =>
        Task.FromResult<Result<string?>>(State.Account is null
            ? new Failure(ErrorCodes.UserNotFound, "User not found.")
            : new Result<string?> { Value = State.Access.CustomerId });

    /// <summary>The newest checkout's customer wins: it is the one the portal should manage.</summary>
    public async Task<Result<Done>> LinkCustomer(string customerId, string eventId)
    {
        if (State.Account is null)
        {
            return new Failure(ErrorCodes.UserNotFound, "User not found.");
        }

        if (State.Access.CustomerId == customerId)
        {
            return Done.Instance;
        }

        State.Access = State.Access with { CustomerId = customerId };
        await CommitAsync();
        return Done.Instance;
    }

    public async Task<Result<Done>> RecordBillingNotice(BillingNotice notice)
    {
        if (State.Account is not { } account)
        {
            return new Failure(ErrorCodes.UserNotFound, "User not found.");
        }

        if (State.Access.AppliedEventIds.Contains(notice.EventId))
        {
            return Done.Instance;
        }

        if (await RefuseWhileOutboxFull(sendsMail: true) is { } backlogFull)
        {
            return backlogFull;
        }

        var client = BillingEventProcessor.WebhookClient;
        var metadata = AuditMetadata.Of(("event_id", notice.EventId), ("amount", notice.Amount), ("currency", notice.Currency),
            ("invoice_id", notice.InvoiceId), ("charge_id", notice.ChargeId), ("subscription_id", notice.SubscriptionId),
            ("reason", notice.Reason));
        switch (notice.Kind)
        {
            case BillingNoticeKinds.Paid:
                Audit(AuditActions.Payment, client, metadata);
                break;
            case BillingNoticeKinds.PaymentFailed:
                Audit(AuditActions.PaymentFailed, client, metadata);
                Mail(composer.PaymentFailed(UserId, account.Email, account.FullName, notice.Amount, notice.Currency, Now));
                break;
            case BillingNoticeKinds.PaymentActionRequired:
                Mail(composer.PaymentActionRequired(UserId, account.Email, account.FullName, notice.HostedInvoiceUrl, Now));
                break;
            case BillingNoticeKinds.TrialWillEnd:
                Mail(composer.TrialEnding(UserId, account.Email, account.FullName, notice.TrialEnd, Now));
                break;
            case BillingNoticeKinds.Refunded:
                Audit(AuditActions.PaymentRefunded, client, metadata);
                break;
            case BillingNoticeKinds.Disputed:
                Audit(AuditActions.PaymentDisputed, client, metadata);
                break;
            default:
                return Done.Instance;
        }

        State.Access = State.Access with { AppliedEventIds = BillingRules.Remember(State.Access.AppliedEventIds, notice.EventId) };
        await CommitAsync();
        return Done.Instance;
    }
}
