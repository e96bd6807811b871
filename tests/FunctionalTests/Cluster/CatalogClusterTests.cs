using Learning.Accounts;
using Learning.Catalog;
using Learning.Common;
using Learning.Playback;
using Learning.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Learning.FunctionalTests.Cluster;

/// <summary>
/// One writer, many readers, on the shared two-silo cluster (Development: demo catalog and placeholder media): a change
/// made through the catalog grain reaches each silo's own snapshot within seconds, and starts follow publishing.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(Tier.Name, Tier.Slow)]
public sealed class CatalogClusterTests(ClusterFixture fixture)
{
    private static readonly Guid AdminId = Guid.NewGuid();
    private static readonly ClientInfo Client = CatalogSiloHost.Client;

    private ICatalogGrain Catalog => fixture.Grains.GetGrain<ICatalogGrain>(0);

    /// <summary>Each silo's own snapshot cache, the one its user grains start lessons from.</summary>
    private IReadOnlyList<ICatalogSnapshots> SiloSnapshots =>
        fixture.Cluster.Silos.Select(s => ((InProcessSiloHandle)s).ServiceProvider.GetRequiredService<ICatalogSnapshots>()).ToList();

    [Fact]
    public async Task A_new_course_reaches_the_snapshot_of_every_silo_within_seconds()
    {
        await OnEverySiloAsync(_ => true);
        var course = (await Catalog.CreateCourse(AdminId, Client, new NewCourse("Tai chi", "Slow forms.", Published: true))).Value!;
        var lesson = (await Catalog.AddLesson(AdminId, Client, course.Id, new NewLesson("Standing", 12, 1, FreePreview: true))).Value!;

        var seen = await OnEverySiloAsync(s => s.FindLesson(lesson.Id) is not null);

        Assert.Equal(2, seen.Count);
        Assert.All(seen, s => Assert.Equal(("Tai chi", lesson.Title), (s.FindCourse(course.Id)!.Title, s.FindLesson(lesson.Id)!.Title)));
    }

    [Fact]
    public async Task Lessons_of_an_unpublished_course_start_for_admins_only_until_it_is_published()
    {
        var course = (await Catalog.CreateCourse(AdminId, Client, new NewCourse("Draft", "", Published: false))).Value!;
        var lesson = (await Catalog.AddLesson(AdminId, Client, course.Id, new NewLesson("Soon", 5, 1, FreePreview: false))).Value!;
        await OnEverySiloAsync(s => s.FindLesson(lesson.Id) is not null);
        var (student, studentCaller) = await CatalogSiloHost.SignUpWithDeviceAsync(fixture.Grains, Role.Student);
        var (admin, adminCaller) = await CatalogSiloHost.SignUpWithDeviceAsync(fixture.Grains, Role.Admin);
        var start = new StartPlayback(lesson.Id.ToString(), "tv", Takeover: false);

        var refused = await student.StartPlayback(studentCaller, start);
        var allowed = await admin.StartPlayback(adminCaller, start);

        Assert.Equal(ErrorCodes.LessonNotFound, refused.Error?.Code);
        Assert.True(allowed.Succeeded, allowed.Error?.Code);

        Assert.True((await Catalog.UpdateCourse(AdminId, Client, course.Id, new CoursePatch(null, null, Published: true))).Succeeded);
        await OnEverySiloAsync(s => s.FindCourse(course.Id)!.Published);

        var published = await student.StartPlayback(studentCaller, start);
        Assert.True(published.Succeeded, published.Error?.Code);
    }

    /// <summary>Every silo's snapshot once it satisfies <paramref name="seen"/>; fails after 10 s (the refresh interval is 2 s).</summary>
    private async Task<IReadOnlyList<CatalogSnapshot>> OnEverySiloAsync(Func<CatalogSnapshot, bool> seen)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var snapshots = new List<CatalogSnapshot>();
        foreach (var silo in SiloSnapshots)
        {
            while (await silo.GetAsync() is var snapshot && !seen(snapshot))
            {
                Assert.True(DateTime.UtcNow < deadline, "a silo's catalog snapshot did not follow the change within 10 s");
                await Task.Delay(50);
            }

            snapshots.Add(await silo.GetAsync());
        }

        return snapshots;
    }
}
