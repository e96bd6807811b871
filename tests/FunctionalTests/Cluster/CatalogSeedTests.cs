using Learning.Catalog;
using Learning.Playback;
using Learning.ReadModel;
using Learning.TestSupport;
using Microsoft.Extensions.Options;

namespace Learning.FunctionalTests.Cluster;

/// <summary>The demo catalog seeds an empty storage once: a catalog operators emptied stays empty across restarts.</summary>
[Trait(Tier.Name, Tier.Slow)]
public sealed class CatalogSeedTests
{
    private static readonly Guid AdminId = Guid.NewGuid();

    [Fact]
    public async Task The_demo_catalog_never_seeds_a_catalog_operators_emptied()
    {
        // Storage that survives the silo, as PostgreSQL does.
        var store = new InMemoryCatalogStore(new InMemoryReadModel(TimeProvider.System, Options.Create(new PlaybackOptions())));
        await using (var first = await CatalogSiloHost.StartAsync(demoCatalog: true, placeholders: true, store))
        {
            var demo = await first.FreshSnapshotAsync();
            Assert.Equal((4, 48), (demo.Courses.Length, demo.Lessons.Length));
            foreach (var lesson in demo.Lessons)
            {
                Assert.True((await first.Catalog.DeleteLesson(AdminId, CatalogSiloHost.Client, lesson.Id)).Succeeded);
            }

            foreach (var course in demo.Courses)
            {
                Assert.True((await first.Catalog.DeleteCourse(AdminId, CatalogSiloHost.Client, course.Id)).Succeeded);
            }
        }

        await using var second = await CatalogSiloHost.StartAsync(demoCatalog: true, placeholders: true, store);
        var catalog = await second.FreshSnapshotAsync();

        Assert.Empty(catalog.Courses);
        Assert.Empty(catalog.Lessons);
        Assert.Equal(1 + 48 + 4, catalog.Version);
    }
}
