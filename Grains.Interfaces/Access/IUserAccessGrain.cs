using Learning.Common;

namespace Learning.Access;

/// <summary>
/// Who may watch (<c>Access:Mode</c>): subscriptions as Stripe's events report them, and operators' grants. The user's
/// grain decides access in the same serialized step as a start and on every media check, and ends live sessions
/// (<c>access_ended</c>) the moment access ends, by an event or by a deadline passing.
/// </summary>
[Alias("access.IUserAccessGrain")]
public interface IUserAccessGrain : IGrainWithGuidKey
{
    [Alias("get-access")]
    Task<Result<AccessView>> GetAccess();

    /// <summary>
    /// Applies a subscription's state from a verified webhook event (or from reconciliation). Idempotent by event id, and
    /// an event older than the last one applied to that subscription is ignored (the contract's ordering rule).
    /// </summary>
    [Alias("apply-subscription")]
    Task<Result<Done>> ApplySubscription(SubscriptionChange change, ClientInfo client);

    [Alias("add-grant")]
    Task<Result<AccessGrant>> AddGrant(NewGrant grant, Guid actorId, ClientInfo client);

    /// <summary>Revokes a grant; live sessions end (<c>access_ended</c>) if access went with it. <c>404 grant_not_found</c>.</summary>
    [Alias("revoke-grant")]
    Task<Result<Done>> RevokeGrant(Guid grantId, Guid actorId, ClientInfo client);
}
