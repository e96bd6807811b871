using Learning.Accounts;
using Learning.Api.Seeding;
using Learning.Common;
using Learning.UnitTests.Catalog;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Seeding;

/// <summary>
/// The bootstrap admin is created while the API starts. A cluster too busy to answer in time must not make the host
/// exit (a container would be restarted into the same crowd): the call is made again, on the retry's clock.
/// </summary>
public sealed class AccountSeederTests
{
    private static readonly BootstrapAdminOptions Admin = new() { AdminEmail = "root@example.com", AdminPassword = "a-long-bootstrap-secret" };

    [Fact]
    public async Task A_timed_out_registration_is_made_again_until_the_cluster_answers()
    {
        var accounts = new Accounts(failures: 3, new TimeoutException("Response did not arrive on time"));
        var clock = new FakeTimeProvider();

        await RunWhileAdvancing(Seeder(accounts, clock).StartAsync(CancellationToken.None), clock);

        Assert.Equal(4, accounts.Calls);
        Assert.Equal("root@example.com", accounts.Registered?.Email);
    }

    [Fact]
    public async Task A_cluster_that_never_answers_fails_the_start_after_its_attempts()
    {
        var accounts = new Accounts(failures: int.MaxValue, new TimeoutException("Response did not arrive on time"));
        var clock = new FakeTimeProvider();

        await Assert.ThrowsAsync<TimeoutException>(() => RunWhileAdvancing(Seeder(accounts, clock).StartAsync(CancellationToken.None), clock));
        Assert.Equal(7, accounts.Calls);
    }

    [Fact]
    public async Task A_failure_that_is_not_the_clusters_is_not_retried()
    {
        var accounts = new Accounts(failures: 1, new InvalidOperationException("a bug"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Seeder(accounts, new FakeTimeProvider()).StartAsync(CancellationToken.None));
        Assert.Equal(1, accounts.Calls);
    }

    private static AccountSeeder Seeder(Accounts accounts, TimeProvider clock) => new(
        CatalogSnapshotsTests.GrainFactory.Answering(accounts), Options.Create(new DemoOptions { Enabled = false }), Options.Create(Admin),
        new HostingEnvironment { EnvironmentName = Environments.Production }, clock, NullLogger<AccountSeeder>.Instance);

    /// <summary>Moves the fake clock on while the seeder waits between attempts.</summary>
    private static async Task RunWhileAdvancing(Task start, FakeTimeProvider clock)
    {
        while (!start.IsCompleted)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        await start;
    }

    private sealed class Accounts(int failures, Exception failure) : IAccountsGrain
    {
        public int Calls { get; private set; }

        public RegisterAccount? Registered { get; private set; }

        public Task<Result<UserProfile>> Register(RegisterAccount command, ClientInfo client)
        {
            if (++Calls <= failures)
            {
                return Task.FromException<Result<UserProfile>>(failure);
            }

            Registered = command;
            return Task.FromResult<Result<UserProfile>>(new Failure(ErrorCodes.EmailTaken, "taken"));
        }

        public Task<Result<TokenGrant>> Login(string email, string password, ClientInfo client) => throw new NotSupportedException();

        public Task<Result<TokenGrant>> Refresh(string refreshToken, ClientInfo client) => throw new NotSupportedException();
    }
}
