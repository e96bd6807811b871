using Learning.Accounts;
using Learning.Catalog;
using Learning.Common;
using Learning.Hosting;
using Learning.Persistence;
using Learning.ReadModel;
using Learning.TestSupport;
using Learning.Playback;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.TestingHost;

namespace Learning.IntegrationTests.Catalog;

/// <summary>
/// The catalog grain on PostgreSQL across restarts: which catalog the first start stores, and that it is the only
/// one ever seeded. A restart is a new cluster on the same database.
/// </summary>
public sealed class CatalogGrainOnPostgresTests
{
    private static readonly Guid Admin = Guid.NewGuid();
    private static readonly ClientInfo Client = new("198.51.100.7", "catalog-tests");

    [Fact]
    public async Task A_deployment_that_served_the_compiled_catalog_imports_it_once_even_with_the_demo_catalog_off()
    {
        var database = await PostgresDatabase.CreateAsync();
        await WriteExistingUserAsync(database);

        long version;
        await using (var cluster = await StartAsync(database, demoCatalog: false))
        {
            var catalog = await SnapshotAsync(cluster);
            Assert.Equal(DemoCatalog.Create(DateTimeOffset.UnixEpoch).Courses.Select(c => (c.Id, c.Title)), catalog.Courses.Select(c => (c.Id, c.Title)));
            Assert.Equal(48, catalog.Lessons.Length);
            Assert.Contains(catalog.Lessons, l => l.Id == StableId.From("course:1:lesson:1"));
            version = catalog.Version;
            // Operators change the imported catalog; a restart must keep their change, not import again.
            Assert.True((await cluster.Client.GetGrain<ICatalogGrain>(0).CreateCourse(Admin, Client, new NewCourse("Operators' own", "", Published: true))).Succeeded);
        }

        await using (var restarted = await StartAsync(database, demoCatalog: false))
        {
            var catalog = await SnapshotAsync(restarted);
            Assert.Equal(version + 1, catalog.Version);
            Assert.Equal(5, catalog.Courses.Length);
            Assert.Equal("Operators' own", catalog.Courses[^1].Title);
        }
    }

    [Fact]
    public async Task A_new_deployment_without_the_demo_catalog_starts_empty_and_stays_so_once_accounts_exist()
    {
        var database = await PostgresDatabase.CreateAsync();
        await using (var cluster = await StartAsync(database, demoCatalog: false))
        {
            Assert.Empty((await SnapshotAsync(cluster)).Courses);
        }

        await WriteExistingUserAsync(database);

        await using var restarted = await StartAsync(database, demoCatalog: false);
        Assert.Empty((await SnapshotAsync(restarted)).Courses);
    }

    [Fact]
    public async Task A_catalog_operators_emptied_is_never_seeded_again()
    {
        var database = await PostgresDatabase.CreateAsync();
        long emptiedAt;
        await using (var cluster = await StartAsync(database, demoCatalog: true))
        {
            var writer = cluster.Client.GetGrain<ICatalogGrain>(0);
            var demo = await SnapshotAsync(cluster);
            Assert.Equal(4, demo.Courses.Length);
            foreach (var lesson in demo.Lessons)
            {
                Assert.True((await writer.DeleteLesson(Admin, Client, lesson.Id)).Succeeded);
            }

            foreach (var course in demo.Courses)
            {
                Assert.True((await writer.DeleteCourse(Admin, Client, course.Id)).Succeeded);
            }

            emptiedAt = (await SnapshotAsync(cluster)).Version;
        }

        await using var restarted = await StartAsync(database, demoCatalog: true);
        var catalog = await SnapshotAsync(restarted);
        Assert.Equal(emptiedAt, catalog.Version);
        Assert.Empty(catalog.Courses);
        Assert.Empty(catalog.Lessons);
        Assert.Equal(52L, await PostgresDatabase.ScalarAsync<long>(database,
            "SELECT count(*) FROM audit_logs WHERE action IN ('lesson_delete', 'course_delete') AND metadata->>'actor_id' = $1", Admin.ToString()));
    }

    private static async Task<CatalogSnapshot> SnapshotAsync(TestCluster cluster) =>
        (await cluster.Client.GetGrain<ICatalogGrain>(0).GetSnapshotIfNewer(-1))!;

    private static async Task<TestCluster> StartAsync(string database, bool demoCatalog)
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties["Postgres"] = database;
        builder.Properties["Demo:Catalog"] = demoCatalog ? "true" : "false";
        builder.Properties["Media:ServePlaceholders"] = "false";
        builder.AddSiloBuilderConfigurator<PostgresSilo>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>An account as a deployment from before the catalog was data left it: a row of the read model's users.</summary>
    private static async Task WriteExistingUserAsync(string database)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        var readModel = new PostgresReadModel(dataSource, TimeProvider.System, Options.Create(new PlaybackOptions()));
        await readModel.WriteAsync(
            new UserSnapshot(Guid.NewGuid(), 1, $"{Guid.NewGuid():N}@example.com", "Early User", Role.Student, DateTimeOffset.UtcNow, [], []), []);
    }

    private sealed class PostgresSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddPostgresPersistence(silo.Configuration["Postgres"]!).AddLearningGrains();
    }
}
