using Learning.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Learning.TestSupport;

/// <summary>A real two-silo cluster in this process, with the business clock under the tests' control.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // Silo configurators are created by type inside the test cluster, so the clock they share is static.
    public static FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>
    /// Each silo's own grain factory, in silo order: a call made through one starts on that silo (as a call from an API
    /// co-hosted with that silo does), so calls alternated over these race in from both silos, not from one client.
    /// </summary>
    public IReadOnlyList<IGrainFactory> SiloGrains =>
        Cluster.Silos.Select(silo => ((InProcessSiloHandle)silo).ServiceProvider.GetRequiredService<IGrainFactory>()).ToList();

    /// <summary>Moves the grain's activation to the silo it is not on, and waits until it has moved.</summary>
    public async Task MoveToTheOtherSiloAsync(IAddressable grain)
    {
        Assert.True(Cluster.TryGetGrainContext(grain.GetGrainId(), out var context), "the grain has no activation to move");
        var from = context!.Address.SiloAddress;
        var to = Cluster.Silos.Select(s => s.SiloAddress).Single(s => !s.Equals(from));
        await Cluster.MigrateAsync(grain, to);
        Assert.True(Cluster.TryGetGrainContext(grain.GetGrainId(), out var moved), "the grain has no activation after the move");
        Assert.Equal(to, moved!.Address.SiloAddress);
    }

    /// <summary>The grain factory of silo <c>i % silos</c>: spreads the i-th racing call over the silos in turn.</summary>
    public IGrainFactory FromSilo(int i)
    {
        var silos = SiloGrains;
        Assert.Equal(2, silos.Count);
        return silos[i % silos.Count];
    }

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        // The tests' cheap hashing (as LearningApiFactory's): these silos run the Development environment, and at the
        // production default each registration and sign-in here would cost about 0.1 s of CPU.
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:PasswordHashIterations"] = LearningApiFactory.TestPasswordHashIterations,
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddKeyedSingleton<TimeProvider>(Learning.Hosting.Clock.ServiceKey, Clock);
            silo.AddMemoryGrainStorage(StorageNames.Default).AddLearningGrains();
        }
    }
}
