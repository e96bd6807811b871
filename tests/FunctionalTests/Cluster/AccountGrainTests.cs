using Learning.Accounts;
using Learning.Common;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

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

    [Fact]
    public async Task A_signed_in_emails_grain_idles_for_two_minutes_while_its_users_grain_keeps_the_silos_default()
    {
        var email = await RegisterAsync();
        var userId = (await Accounts.Login(email, "quiet-otter-lantern", Client)).Value!.UserId;

        // The email's lookup is needed again only at the next sign-in; it must not stay in memory beside every active learner.
        Assert.Equal(TimeSpan.FromMinutes(2), IdleAge(fixture.Grains.GetGrain<IEmailGrain>(EmailAddress.Normalize(email))));
        Assert.Null(IdleAge(fixture.Grains.GetGrain<IUserGrain>(userId)));
    }

    [Fact]
    public async Task An_unknown_emails_failures_survive_idle_collection_so_they_still_lock_it()
    {
        var known = await RegisterAsync();
        Assert.True((await Accounts.Login(known, "quiet-otter-lantern", Client)).Succeeded);
        var unknown = ApiClient.NewEmail();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(ErrorCodes.InvalidCredentials, (await Accounts.Login(unknown, "wrong-password", Client)).Error!.Code);
        }

        // What the silo's collector does to grains idle past their age. The known email's grain goes (so collection
        // ran); the unknown one's stays, or its fifth failure would start a fresh count instead of locking it.
        await Task.Delay(TimeSpan.FromMilliseconds(50));
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromMilliseconds(10));
        Assert.False(await IsActiveAsync(fixture.Grains.GetGrain<IEmailGrain>(EmailAddress.Normalize(known))));

        Assert.Equal(ErrorCodes.InvalidCredentials, (await Accounts.Login(unknown, "wrong-password", Client)).Error!.Code);
        Assert.Equal(ErrorCodes.AccountLocked, (await Accounts.Login(unknown, "wrong-password", Client)).Error!.Code);
    }

    /// <summary>The idle age the cluster's manifest gives the grain's type, or null for the silo's default (<c>GrainCollectionOptions.CollectionAge</c>).</summary>
    private TimeSpan? IdleAge(IAddressable grain)
    {
        var properties = fixture.Cluster.Client.ServiceProvider.GetRequiredService<GrainPropertiesResolver>()
            .GetGrainProperties(grain.GetGrainId().Type);
        return properties.Properties.TryGetValue(WellKnownGrainTypeProperties.IdleDeactivationPeriod, out var value)
            ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>Whether the grain still has an activation, allowing a deactivation under way a few seconds to finish.</summary>
    private async Task<bool> IsActiveAsync(IAddressable grain)
    {
        for (var attempt = 0; attempt < 50 && fixture.Cluster.TryGetGrainContext(grain.GetGrainId(), out _); attempt++)
        {
            await Task.Delay(100);
        }

        return fixture.Cluster.TryGetGrainContext(grain.GetGrainId(), out _);
    }

    private async Task<string> RegisterAsync()
    {
        var email = ApiClient.NewEmail();
        var result = await Accounts.Register(new RegisterAccount(email, "quiet-otter-lantern", "Test User", Role.Student), Client);
        Assert.True(result.Succeeded);
        return email;
    }
}
