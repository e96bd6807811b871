using Learning.Access;
using Learning.Common;

namespace Learning.Users;

public sealed partial class UserGrain
{
    public Task<Result<AccessView>> GetAccess() => throw new NotImplementedException();

    public Task<Result<Done>> ApplySubscription(SubscriptionChange change, ClientInfo client) => throw new NotImplementedException();

    public Task<Result<AccessGrant>> AddGrant(NewGrant grant, Guid actorId, ClientInfo client) => throw new NotImplementedException();

    public Task<Result<Done>> RevokeGrant(Guid grantId, Guid actorId, ClientInfo client) => throw new NotImplementedException();
}
