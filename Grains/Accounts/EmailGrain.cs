using Learning.Common;
using Learning.Hosting;

namespace Learning.Accounts;

[GenerateSerializer, Alias("accounts.email-claim")]
public sealed class EmailClaim
{
    [Id(0)] public Guid? UserId { get; set; }

    /// <summary>False between reserving the email and creating its user: a crash there must not lock the email forever.</summary>
    [Id(1)] public bool Confirmed { get; set; }
}

public sealed class EmailGrain(
    [PersistentState("email", StorageNames.Default)] IPersistentState<EmailClaim> claim,
    IGrainFactory grains) : Grain, IEmailGrain
{
    public async Task<Result<UserProfile>> Register(NewUser user, ClientInfo client)
    {
        if (claim.State.Confirmed)
        {
            return AccountFailures.EmailTaken;
        }

        if (claim.State.UserId is { } pending)
        {
            // An earlier registration stopped half-way: if it got as far as creating its user, that user owns the email.
            if (await grains.GetGrain<IUserGrain>(pending).Find() is not null)
            {
                await ConfirmAsync();
                return AccountFailures.EmailTaken;
            }
        }
        else
        {
            claim.State.UserId = Guid.NewGuid();
            await claim.WriteStateAsync();
        }

        var created = await grains.GetGrain<IUserGrain>(claim.State.UserId.Value).Create(user, client);
        await ConfirmAsync();
        return created;
    }

    public Task<Guid?> GetOwner() => Task.FromResult(claim.State.Confirmed ? claim.State.UserId : null);

    private Task ConfirmAsync()
    {
        claim.State.Confirmed = true;
        return claim.WriteStateAsync();
    }
}
