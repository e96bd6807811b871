using Learning.Api.Catalog;
using Learning.Catalog;
using Learning.Common;

namespace Learning.Api.Media;

/// <summary>
/// A lesson's video upload from start to catalog: the lesson exists, the content type names a container we take, the
/// bytes are stored (<see cref="MediaUploader"/>), and the catalog records the file. The REST route and the console
/// both upload through here, so the two cannot drift apart.
/// </summary>
public sealed class LessonMediaUploads(MediaUploader uploader, CatalogWriter writer, ICatalogSnapshots catalog)
{
    /// <summary>The lesson with its new file, or why not (<c>lesson_not_found</c>, 415, 413, 400).</summary>
    public async Task<Result<MediaStored>> UploadAsync(
        Caller admin, Guid lessonId, string? contentType, Stream body, long? declaredLength, HttpContext http)
    {
        if (!await ExistsAsync(lessonId, http.RequestAborted))
        {
            return new Failure(ErrorCodes.LessonNotFound, "Lesson not found.");
        }

        if (MediaFormat.OfContentType(contentType) is not { } format)
        {
            return new Failure(ErrorCodes.UnsupportedMediaType,
                $"Send the file as {MediaFormat.Mp4.ContentType} or {MediaFormat.WebM.ContentType}.");
        }

        var stored = await uploader.StoreAsync(lessonId, format, body, declaredLength, http, http.RequestAborted);
        if (stored.Error is { } refused)
        {
            return refused;
        }

        var (result, _) = await writer.ApplyAsync(g => g.SetLessonMedia(admin.UserId, admin.Client, lessonId, stored.Value!));
        if (result.Error is not null)
        {
            uploader.Discard(stored.Value!);
        }

        return result;
    }

    /// <summary>Before streaming gigabytes: the lesson exists here, or (made moments ago elsewhere) at the writer.</summary>
    private async Task<bool> ExistsAsync(Guid lessonId, CancellationToken cancellationToken)
    {
        if ((await catalog.GetAsync(cancellationToken)).FindLesson(lessonId) is not null)
        {
            return true;
        }

        await catalog.RefreshAsync(cancellationToken);
        return (await catalog.GetAsync(cancellationToken)).FindLesson(lessonId) is not null;
    }
}
