using Learning.Hosting;
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

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
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
