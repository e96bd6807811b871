using Learning.TestSupport;
using System.Text.Json;
using Learning.Accounts;
using Learning.Audit;
using Learning.Catalog;
using Learning.Common;
using Learning.Playback;
using Learning.ReadModel;
using Microsoft.Extensions.DependencyInjection;

namespace Learning.FunctionalTests.Cluster;

/// <summary>Starting lessons against the catalog on a silo without placeholder media, and deleting a lesson someone plays.</summary>
[Trait(Tier.Name, Tier.Slow)]
public sealed class CatalogSiloTests : IAsyncLifetime
{
    private static readonly Guid AdminId = Guid.NewGuid();
    private static readonly ClientInfo Client = CatalogSiloHost.Client;
    private CatalogSiloHost _silo = null!;

    public async Task InitializeAsync() => _silo = await CatalogSiloHost.StartAsync(demoCatalog: false, placeholders: false);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_lesson_without_a_video_answers_media_unavailable_until_one_is_uploaded()
    {
        var lesson = await NewLessonAsync(media: null);
        var (user, caller) = await _silo.SignUpWithDeviceAsync(Role.Student);

        var refused = await user.StartPlayback(caller, Start(lesson));
        Assert.Equal(ErrorCodes.MediaUnavailable, refused.Error?.Code);

        var media = Media(lesson.Id, seconds: 30.2);
        Assert.Equal(1, (await _silo.Catalog.SetLessonMedia(AdminId, Client, lesson.Id, media)).Value!.Lesson.DurationMinutes);
        await _silo.FreshSnapshotAsync();

        var started = (await user.StartPlayback(caller, Start(lesson))).Value!;
        Assert.Equal((media.FileName, 1), (started.MediaFile, started.DurationMinutes));
        // The file's exact 31 s (rounded up) bound positions, not the 60 s its one minute suggests.
        Assert.True((await user.Heartbeat(caller, started.SessionToken, 31)).Succeeded);
        Assert.Equal(ErrorCodes.ValidationError, (await user.Heartbeat(caller, started.SessionToken, 55)).Error?.Code);
    }

    [Fact]
    public async Task Deleting_a_lesson_ends_its_live_sessions_with_reason_ended_audited_with_the_admin()
    {
        var lesson = await NewLessonAsync(media: 600);
        var other = await NewLessonAsync(media: 600);
        var (user, caller) = await _silo.SignUpWithDeviceAsync(Role.Student);
        var (bystander, bystanderCaller) = await _silo.SignUpWithDeviceAsync(Role.Student);
        var started = (await user.StartPlayback(caller, Start(lesson))).Value!;
        var unaffected = (await bystander.StartPlayback(bystanderCaller, Start(other))).Value!;
        Assert.True((await user.Heartbeat(caller, started.SessionToken, 1)).Succeeded);

        var deleted = await _silo.Catalog.DeleteLesson(AdminId, Client, lesson.Id);

        Assert.Equal(lesson.Id, deleted.Value?.Id);
        var beat = await user.Heartbeat(caller, started.SessionToken, 2);
        Assert.Equal((ErrorCodes.SessionExpired, EndReasons.Ended), (beat.Error?.Code, beat.Error?.Reason));
        Assert.Equal(ErrorCodes.SessionExpired, (await user.CheckStream(started.SessionId, lesson.Id)).Error?.Code);
        Assert.True((await bystander.Heartbeat(bystanderCaller, unaffected.SessionToken, 1)).Succeeded);

        var audit = _silo.Services.GetRequiredService<IAuditQuery>();
        var ended = Assert.Single((await audit.QueryAsync(new AuditQuery(AuditActions.VideoEnd, caller.UserId, null, null, null, 10, null))).Results);
        Assert.Equal((AdminId.ToString(), EndReasons.Ended), (Metadata(ended, "actor_id"), Metadata(ended, "reason")));
        var removal = Assert.Single((await audit.QueryAsync(new AuditQuery(AuditActions.LessonDelete, AdminId, null, null, null, 10, null))).Results);
        Assert.Equal(lesson.Id.ToString(), Metadata(removal, "lesson_id"));
    }

    /// <summary>A lesson of a new published course, with a file of <paramref name="media"/> seconds or none, in this silo's snapshot.</summary>
    private async Task<CatalogLesson> NewLessonAsync(double? media)
    {
        var course = (await _silo.Catalog.CreateCourse(AdminId, Client, new NewCourse("Course", "", Published: true))).Value!;
        var lesson = (await _silo.Catalog.AddLesson(AdminId, Client, course.Id, new NewLesson("Lesson", 10, 1, FreePreview: false))).Value!;
        if (media is { } seconds)
        {
            lesson = (await _silo.Catalog.SetLessonMedia(AdminId, Client, lesson.Id, Media(lesson.Id, seconds))).Value!.Lesson;
        }

        await _silo.FreshSnapshotAsync();
        return lesson;
    }

    private static LessonMedia Media(Guid lessonId, double seconds) =>
        new($"{lessonId}/{Guid.NewGuid():N}.mp4", "video/mp4", 4096, new string('0', 64), seconds, DateTimeOffset.UtcNow);

    private static StartPlayback Start(CatalogLesson lesson) => new(lesson.Id.ToString(), "tv", Takeover: false);

    private static string? Metadata(AuditEntry entry, string name) =>
        JsonDocument.Parse(entry.MetadataJson).RootElement.GetProperty(name).ToString();
}
