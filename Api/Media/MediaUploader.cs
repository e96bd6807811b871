using System.Buffers;
using System.Security.Cryptography;
using Learning.Catalog;
using Learning.Common;
using Learning.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Learning.Api.Media;

/// <summary>
/// Stores an uploaded lesson file: streamed to a temporary file under the media root (never held whole in memory),
/// counted against <see cref="MediaOptions.MaxUploadBytes"/>, hashed (SHA-256) and checked for its container on the
/// way, then renamed atomically to a name of its own. What the file states about its duration is read last.
/// </summary>
public sealed class MediaUploader(
    MediaStore store, IOptions<MediaOptions> options, [FromKeyedServices(Clock.ServiceKey)] TimeProvider time)
{
    private const int BufferSize = 81_920;

    /// <summary>The stored file as the catalog records it, or why it was refused (413, 400). Nothing is left behind on refusal.</summary>
    /// <remarks>
    /// <paramref name="body"/> is the request body itself (the REST route, the console's script) or a part of it (a
    /// multipart form); <paramref name="declaredLength"/> is what the client announced, refused early when too large.
    /// </remarks>
    public async Task<Result<LessonMedia>> StoreAsync(
        Guid lessonId, MediaFormat format, Stream body, long? declaredLength, HttpContext http, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxUploadBytes;
        if (declaredLength > limit)
        {
            return TooLarge(limit);
        }

        // The server's own cap (30 MB by default in Kestrel) would cut a lesson short; this route counts against its own.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = limit;
        }

        var fileName = MediaStore.NewFileName(lessonId, format);
        var path = store.PathOf(fileName)!;
        var temporary = store.NewUploadPath();
        try
        {
            double? duration;
            long length;
            string sha256;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var copied = await CopyAsync(body, file, format, limit, cancellationToken);
                if (copied.Error is { } refused)
                {
                    return refused;
                }

                (length, sha256) = copied.Value;
                file.Flush(flushToDisk: true); // durable before the rename makes it visible
                file.Position = 0;
                duration = MediaDurationReader.ReadSeconds(format, file);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temporary, path);
            return new LessonMedia(fileName, format.ContentType, length, sha256, duration, time.GetUtcNow());
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Removes a stored file the catalog did not take (the lesson went meanwhile).</summary>
    public void Discard(LessonMedia media)
    {
        if (store.PathOf(media.FileName) is { } path)
        {
            File.Delete(path);
        }
    }

    private static async Task<Result<(long Length, string Sha256)>> CopyAsync(
        Stream body, FileStream file, MediaFormat format, long limit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var head = new byte[MediaFormat.SniffLength];
        var headLength = 0;
        long length = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    return TooLarge(limit);
                }

                if (headLength < head.Length)
                {
                    var taken = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, taken).CopyTo(head.AsSpan(headLength));
                    headLength += taken;
                    // Refused as soon as the first bytes are in, not after gigabytes of something else.
                    if (headLength == head.Length && !format.Matches(head))
                    {
                        return NotThatContainer(format);
                    }
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return headLength < head.Length && !format.Matches(head.AsSpan(0, headLength))
            ? NotThatContainer(format)
            : (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static Failure TooLarge(long limit) =>
        new(ErrorCodes.PayloadTooLarge, $"The file must not exceed {limit} bytes (Media:MaxUploadBytes).");

    private static Failure NotThatContainer(MediaFormat format) =>
        Failure.Validation("body", $"The bytes are not {format.Describe()}, as the Content-Type {format.ContentType} says.");
}
