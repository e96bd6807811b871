using Learning.Hosting;
using Learning.TestSupport;
using Learning.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Learning.IntegrationTests.Postgres;

/// <summary>The schema our migrations install works with Orleans' ADO.NET provider, ETag checks included.</summary>
public sealed class StorageTests
{
    [Fact]
    public async Task A_write_with_a_stale_etag_is_rejected_and_the_newer_state_kept()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["Postgres"] = await PostgresDatabase.CreateAsync();
        builder.AddSiloBuilderConfigurator<AdoNetSilo>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var storage = cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var id = GrainId.Create("etag-test", Guid.NewGuid().ToString("N"));

        var winner = new GrainState<Payload>(new Payload { Value = "first" });
        await storage.WriteStateAsync("payload", id, winner);
        var stale = new GrainState<Payload>(new Payload { Value = "stale" }) { ETag = winner.ETag };
        winner.State!.Value = "second";
        await storage.WriteStateAsync("payload", id, winner);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("payload", id, stale));
        var read = new GrainState<Payload>();
        await storage.ReadStateAsync("payload", id, read);
        Assert.Equal("second", read.State!.Value);
    }

    [Fact]
    public async Task Silos_migrating_at_once_apply_each_script_exactly_once()
    {
        var database = await PostgresDatabase.CreateAsync(migrate: false);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => DatabaseMigrator.MigrateAsync(database, NullLogger.Instance))));
        await DatabaseMigrator.MigrateAsync(database, NullLogger.Instance);

        var scripts = typeof(DatabaseMigrator).Assembly.GetManifestResourceNames().Count(name => name.EndsWith(".sql", StringComparison.Ordinal));
        Assert.Equal((long)scripts, await PostgresDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM schema_versions"));
        Assert.Equal(4L, await PostgresDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleansquery"));
    }

    private sealed class AdoNetSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddPostgresPersistence(silo.Configuration["Postgres"]!);
    }
}

[GenerateSerializer]
public sealed class Payload
{
    [Id(0)] public string Value { get; set; } = "";
}
