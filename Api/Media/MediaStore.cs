using Learning.Catalog;
using Microsoft.Extensions.Options;

namespace Learning.Api.Media;

/// <summary>
/// Where lesson files are: <c>{Media:Root}/{lesson_id}/{upload_id}.mp4</c> (or <c>.webm</c>), one name per upload, so a
/// replacement never changes the bytes behind a URL already handed out. A lesson without a file plays the placeholder
/// video when <see cref="CatalogSettings.ServesPlaceholders"/>, otherwise nothing.
/// </summary>
public sealed class MediaStore(IOptions<MediaOptions> options, IHostEnvironment environment, CatalogSettings catalog)
{
    /// <summary>The folder lesson files live in: <c>Media:Root</c>, relative to the content root (the working directory).</summary>
    public string Root => Path.GetFullPath(options.Value.Root, environment.ContentRootPath);

    public string FolderOf(Guid lessonId) => Path.Combine(Root, lessonId.ToString("D"));

    /// <summary>The name a new upload gets, relative to the root (what <see cref="LessonMedia.FileName"/> holds).</summary>
    public static string NewFileName(Guid lessonId, MediaFormat format) => $"{lessonId:D}/{Guid.NewGuid():N}{format.Extension}";

    /// <summary>
    /// Uploads in progress, on the same file system as the lesson folders so that finishing one is an atomic rename;
    /// its name is not a lesson id, so nothing there is ever served.
    /// </summary>
    public string UploadsFolder => Path.Combine(Root, ".uploads");

    /// <summary>A fresh temporary file path for one upload (its folder created).</summary>
    public string NewUploadPath() => Path.Combine(Directory.CreateDirectory(UploadsFolder).FullName, $"{Guid.NewGuid():N}.upload");

    /// <summary>The full path of a stored file; null when the name would leave the root.</summary>
    public string? PathOf(string fileName)
    {
        var root = Root;
        var path = Path.GetFullPath(fileName, root);
        return path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }

    /// <summary>The full path of a stored file that exists, or null.</summary>
    public string? FindFile(string fileName) => PathOf(fileName) is { } path && File.Exists(path) ? path : null;

    /// <summary>What to serve for a lesson without a file, or null when such a lesson has no media.</summary>
    public byte[]? Placeholder => catalog.ServesPlaceholders ? PlaceholderVideo.Bytes : null;

    /// <summary>Removes every file of a deleted lesson. A reader that has a file open keeps its bytes until it closes it.</summary>
    public void DeleteLessonFiles(Guid lessonId)
    {
        try
        {
            Directory.Delete(FolderOf(lessonId), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
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
        Message = "Lesson media is read from {MediaRoot} (Media:Root; folder exists: {MediaRootExists}); lessons without a file play a placeholder video: {ServePlaceholders} (Media:ServePlaceholders; otherwise starting them answers 404 media_unavailable)")]
    private static partial void LogSource(ILogger logger, string mediaRoot, bool mediaRootExists, bool servePlaceholders);
}
