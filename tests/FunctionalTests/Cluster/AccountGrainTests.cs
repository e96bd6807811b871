using Learning.Accounts;
using Learning.Common;
using Learning.TestSupport;

namespace Learning.FunctionalTests.Cluster;

[Collection(ClusterCollection.Name)]
[Trait(Tier.Name, Tier.Slow)]
public sealed class AccountGrainTests(ClusterFixture fixture)
{
    private static readonly ClientInfo Client = new("127.0.0.1", "tests");

    private IAccountsGrain Accounts => fixture.Grains.GetGrain<IAccountsGrain>(0);

    [Fact]
    public async Task Concurrent_registrations_of_one_email_across_two_silos_create_exactly_one_user()
    {
        var email = ApiClient.NewEmail();
        // Different spellings of one address must still collide.
        // Half the attempts start on each silo; the first of them activates the grains involved.
        var attempts = Enumerable.Range(0, 20).Select(i =>
            fixture.FromSilo(i).GetGrain<IAccountsGrain>(0).Register(new RegisterAccount(i % 2 == 0 ? email : $"  {email.ToUpperInvariant()} ", "quiet-otter-lantern", $"User {i}", Role.Student), Client));

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Succeeded);
        Assert.Equal(19, results.Count(r => !r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ErrorCodes.EmailTaken, r.Error!.Code));
        var winner = results.Single(r => r.Succeeded).Value!.Id;
        // Both silos see the one owner, and the address (in either spelling) signs in as that user only.
        Assert.Equal(winner, await fixture.FromSilo(0).GetGrain<IEmailGrain>(email).GetOwner());
        Assert.Equal(winner, await fixture.FromSilo(1).GetGrain<IEmailGrain>(email).GetOwner());
        Assert.Equal(winner, (await Accounts.Login(email.ToUpperInvariant(), "quiet-otter-lantern", Client)).Value!.UserId);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_until_the_lockout_ends()
    {
        var email = await RegisterAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(ErrorCodes.InvalidCredentials, (await Accounts.Login(email, "wrong-password", Client)).Error!.Code);
        }

        var locked = await Accounts.Login(email, "quiet-otter-lantern", Client);
        Assert.Equal(ErrorCodes.AccountLocked, locked.Error!.Code);
        Assert.InRange(locked.Error.RetryAfterSeconds!.Value, 899, 900);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.True((await Accounts.Login(email, "quiet-otter-lantern", Client)).Succeeded);
    }

    [Fact]
    public async Task A_successful_login_resets_the_failure_count()
    {
        var email = await RegisterAsync();
        for (var i = 0; i < 4; i++)
        {
            await Accounts.Login(email, "wrong-password", Client);
        }

        Assert.True((await Accounts.Login(email, "quiet-otter-lantern", Client)).Succeeded);
        for (var i = 0; i < 4; i++)
        {
            await Accounts.Login(email, "wrong-password", Client);
        }

        Assert.True((await Accounts.Login(email, "quiet-otter-lantern", Client)).Succeeded);
    }

    [Fact]
    public async Task Reusing_a_rotated_refresh_token_revokes_the_whole_family()
    {
        var email = await RegisterAsync();
        var first = (await Accounts.Login(email, "quiet-otter-lantern", Client)).Value!;
        var second = (await Accounts.Refresh(first.RefreshToken, Client)).Value!;
        var third = (await Accounts.Refresh(second.RefreshToken, Client)).Value!;
        var user = fixture.Grains.GetGrain<IUserGrain>(first.UserId);
        var caller = new Caller(first.UserId, first.FamilyId, Client);
        Assert.True((await user.GetProfile(caller)).Succeeded);

        Assert.Equal(ErrorCodes.TokenReused, (await Accounts.Refresh(first.RefreshToken, Client)).Error!.Code);

        Assert.Equal(ErrorCodes.InvalidToken, (await Accounts.Refresh(third.RefreshToken, Client)).Error!.Code);
        Assert.Equal(ErrorCodes.TokenRevoked, (await user.GetProfile(caller)).Error!.Code);
    }

    [Fact]
    public async Task Another_login_is_a_separate_family_that_reuse_elsewhere_does_not_touch()
    {
        var email = await RegisterAsync();
        var phone = (await Accounts.Login(email, "quiet-otter-lantern", Client)).Value!;
        var laptop = (await Accounts.Login(email, "quiet-otter-lantern", Client)).Value!;
        Assert.True((await Accounts.Refresh(phone.RefreshToken, Client)).Succeeded);

        Assert.Equal(ErrorCodes.TokenReused, (await Accounts.Refresh(phone.RefreshToken, Client)).Error!.Code);

        Assert.True((await Accounts.Refresh(laptop.RefreshToken, Client)).Succeeded);
    }

    private async Task<string> RegisterAsync()
    {
        var email = ApiClient.NewEmail();
        var result = await Accounts.Register(new RegisterAccount(email, "quiet-otter-lantern", "Test User", Role.Student), Client);
        Assert.True(result.Succeeded);
        return email;
    }
}
