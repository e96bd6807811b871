using Microsoft.Extensions.Options;

namespace Learning.Api.Media;

/// <summary>
/// Where lesson files are: <c>{Media:Root}/{lesson_id}.mp4</c>. Lessons without a file get the placeholder video
/// when <see cref="MediaOptions.ServePlaceholders"/> says so (unset: in Development only), otherwise nothing.
/// </summary>
public sealed class MediaStore(IOptions<MediaOptions> options, IHostEnvironment environment)
{
    public const string ContentType = "video/mp4";

    /// <summary>The full path of the lesson's file, or null when it has none.</summary>
    public string? FindFile(Guid lessonId)
    {
        var file = Path.Combine(Path.GetFullPath(options.Value.Root, environment.ContentRootPath), $"{lessonId:D}.mp4");
        return File.Exists(file) ? file : null;
    }

    /// <summary>What to serve for a lesson without a file, or null when such a lesson has no media.</summary>
    public byte[]? Placeholder =>
        options.Value.ServePlaceholders ?? environment.IsDevelopment() ? PlaceholderVideo.Bytes : null;
}
