using Learning.Accounts;
using Learning.Catalog;
using Learning.Common;
using Learning.Hosting;
using Learning.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Learning.FunctionalTests.Cluster;

/// <summary>
/// One silo in this process with the catalog settings a test needs (the shared two-silo fixture runs Development
/// defaults: demo catalog and placeholders on). One silo also means one in-memory read model, which the catalog grain
/// queries for a deleted lesson's live sessions; in production every silo shares PostgreSQL's.
/// </summary>
public sealed class CatalogSiloHost : IAsyncDisposable
{
    public const string Password = "quiet-otter-lantern";
    public static readonly ClientInfo Client = new("127.0.0.1", "tests");

    private readonly IHost _host;

    private CatalogSiloHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public ICatalogGrain Catalog => Grains.GetGrain<ICatalogGrain>(0);

    /// <param name="store">A store that outlives this host (a restart keeps what storage held); a fresh one otherwise.</param>
    public static async Task<CatalogSiloHost> StartAsync(bool demoCatalog, bool placeholders, ICatalogStore? store = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Demo:Catalog"] = demoCatalog.ToString(),
            ["Media:ServePlaceholders"] = placeholders.ToString(),
            ["Catalog:RefreshInterval"] = "00:00:00.200",
            ["Auth:PasswordHashIterations"] = "1000",
        });
        if (store is not null)
        {
            // Registered before AddLearningGrains, as PostgreSQL's store is: the in-memory default then stays out.
            builder.Services.AddSingleton(store);
        }

        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.Next(), FreePort.Next())
            .AddMemoryGrainStorage(StorageNames.Default)
            .AddLearningGrains());
        var host = builder.Build();
        await host.StartAsync();
        return new CatalogSiloHost(host);
    }

    /// <summary>This silo's snapshot after asking the catalog grain now, as an API instance does after its own write.</summary>
    public async Task<CatalogSnapshot> FreshSnapshotAsync()
    {
        var snapshots = Services.GetRequiredService<ICatalogSnapshots>();
        await snapshots.RefreshAsync();
        return await snapshots.GetAsync();
    }

    public Task<(IUserGrain User, Caller Caller)> SignUpWithDeviceAsync(Role role) => SignUpWithDeviceAsync(Grains, role);

    /// <summary>A signed-up, signed-in user of that role with one active device, <c>tv</c>.</summary>
    public static async Task<(IUserGrain User, Caller Caller)> SignUpWithDeviceAsync(IGrainFactory grains, Role role)
    {
        var accounts = grains.GetGrain<IAccountsGrain>(0);
        var email = ApiClient.NewEmail();
        Assert.True((await accounts.Register(new RegisterAccount(email, Password, "Viewer", role), Client)).Succeeded);
        var grant = (await accounts.Login(email, Password, Client)).Value!;
        var caller = new Caller(grant.UserId, grant.FamilyId, Client);
        var user = grains.GetGrain<IUserGrain>(grant.UserId);
        Assert.True((await user.RegisterDevice(caller, new Devices.RegisterDevice("tv", "Television", Devices.Platform.Web))).Succeeded);
        return (user, caller);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
