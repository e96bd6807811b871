using Microsoft.Extensions.Options;

namespace Learning.Api.Media;

/// <summary>
/// Where lesson files are: <c>{Media:Root}/{lesson_id}.mp4</c>. Lessons without a file get the placeholder video
/// when <see cref="MediaOptions.ServePlaceholders"/> says so (unset: in Development only), otherwise nothing.
/// </summary>
public sealed class MediaStore(IOptions<MediaOptions> options, IHostEnvironment environment)
{
    public const string ContentType = "video/mp4";

    /// <summary>The folder lesson files are read from: <c>Media:Root</c>, relative to the content root (the working directory).</summary>
    public string Root => Path.GetFullPath(options.Value.Root, environment.ContentRootPath);

    /// <summary>The full path of the lesson's file, or null when it has none.</summary>
    public string? FindFile(Guid lessonId)
    {
        var file = Path.Combine(Root, $"{lessonId:D}.mp4");
        return File.Exists(file) ? file : null;
    }

    /// <summary>What to serve for a lesson without a file, or null when such a lesson has no media.</summary>
    public byte[]? Placeholder =>
        options.Value.ServePlaceholders ?? environment.IsDevelopment() ? PlaceholderVideo.Bytes : null;
}

public static partial class MediaStoreLogging
{
    /// <summary>One line at start-up saying where lesson files come from, so a 404 on every video URL is explained.</summary>
    public static void LogMediaSource(this WebApplication app) =>
        // Once started: the options are validated by then (a bad Media section is reported with every other problem).
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var store = app.Services.GetRequiredService<MediaStore>();
            LogSource(app.Logger, store.Root, Directory.Exists(store.Root), store.Placeholder is not null);
        });

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Lesson media is read from {MediaRoot} (Media:Root; folder exists: {MediaRootExists}); lessons without a file get a placeholder video: {ServePlaceholders} (Media:ServePlaceholders; otherwise 404)")]
    private static partial void LogSource(ILogger logger, string mediaRoot, bool mediaRootExists, bool servePlaceholders);
}
