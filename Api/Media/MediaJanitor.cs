using Learning.Catalog;
using Learning.Hosting;
using Learning.Playback;
using Microsoft.Extensions.Options;

namespace Learning.Api.Media;

/// <summary>
/// Removes lesson files no session can play any more. A replaced file may still be played by sessions started before
/// the replacement, for at most <c>Playback:SessionLifetime</c>; the file that replaced it was uploaded after that
/// moment, so once the lesson's current file is older than a session's lifetime, every other file of the lesson can
/// go. A file younger than that is always kept: it may be an upload this instance's snapshot does not show yet. The
/// rule needs no memory of its own, so it holds across restarts and for several instances sharing one folder.
/// </summary>
public sealed partial class MediaJanitor(
    MediaStore store,
    ICatalogSnapshots catalog,
    IOptions<PlaybackOptions> playback,
    [FromKeyedServices(Clock.ServiceKey)] TimeProvider time,
    ILogger<MediaJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(logger, exception);
            }
        }
    }

    /// <summary>One pass over the media folder; returns how many files it removed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(store.Root))
        {
            return 0;
        }

        // Judged on a fresh snapshot only: a stale one could take the current file for a replaced one.
        await catalog.RefreshAsync(cancellationToken);
        var snapshot = await catalog.GetAsync(cancellationToken);
        var horizon = time.GetUtcNow() - playback.Value.SessionLifetime;
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(store.Root))
        {
            if (Guid.TryParseExact(Path.GetFileName(folder), "D", out var lessonId))
            {
                var current = snapshot.FindLesson(lessonId)?.Media;
                removed += Remove(folder, file =>
                    file.LastWriteTimeUtc < horizon
                    && (current is null || (current.UploadedAt < horizon && store.PathOf(current.FileName) != file.FullName)));
            }
        }

        // Uploads that stopped without finishing (a crash, a killed process).
        removed += Remove(store.UploadsFolder, file => file.LastWriteTimeUtc < horizon);
        if (removed > 0)
        {
            LogRemoved(logger, removed);
        }

        return removed;
    }

    private static int Remove(string folder, Func<FileInfo, bool> canGo)
    {
        var directory = new DirectoryInfo(folder);
        if (!directory.Exists)
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in directory.EnumerateFiles().Where(canGo))
        {
            try
            {
                file.Delete();
                removed++;
            }
            catch (IOException)
            {
                // Another instance sharing the folder took it first, or it is busy: the next pass decides again.
            }
        }

        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} lesson files no session can play any more")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping replaced lesson files failed; the next pass retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
