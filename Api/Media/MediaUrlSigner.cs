using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Learning.Api.Security;
using Learning.Hosting;
using Microsoft.Extensions.Options;

namespace Learning.Api.Media;

/// <summary>A media request whose signature checked out. <see cref="MediaFile"/> is the file the session plays (null: the placeholder).</summary>
public sealed record MediaGrant(Guid LessonId, Guid SessionId, Guid UserId, string? MediaFile);

/// <summary>
/// Media URLs are capabilities: <c>/media/lessons/{lesson}?session&amp;user&amp;exp&amp;kid&amp;file&amp;sig</c>, HMAC-SHA256 over
/// the path and those parameters. They name the session by id, never by its token, and stop at the session's expiry.
/// <c>file</c> names the uploaded file the session started with, so the session keeps playing those bytes while the
/// lesson's file is replaced, and a new start gets the new file.
/// <c>kid</c> names the key (<see cref="SigningKeyRing"/>), so URLs signed before a key rotation keep playing; URLs
/// without one come from before key ids and are checked against every accepted key.
/// </summary>
public sealed class MediaUrlSigner(IOptions<MediaOptions> options, [FromKeyedServices(Clock.ServiceKey)] TimeProvider time)
{
    /// <summary>The signed URL of a session's media, under the configured public base URL or else the request's own.</summary>
    public string Sign(HttpRequest request, Guid lessonId, Guid sessionId, Guid userId, DateTimeOffset expiresAt, string? mediaFile)
    {
        var exp = expiresAt.ToUnixTimeSeconds();
        var key = options.Value.Keys().Current;
        var file = mediaFile is null ? "" : $"&file={Uri.EscapeDataString(mediaFile)}";
        var query = $"session={sessionId:D}&user={userId:D}&exp={exp}&kid={key.Id}{file}&sig={Signature(key, lessonId, sessionId, userId, exp, key.Id, mediaFile)}";
        return $"{BaseUrl(request).TrimEnd('/')}{PathOf(lessonId)}?{query}";
    }

    private string BaseUrl(HttpRequest request) =>
        options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured : $"{request.Scheme}://{request.Host}";

    /// <returns>The grant, or the reason the URL is refused.</returns>
    public (MediaGrant? Grant, string? Problem) Verify(
        string lessonId, string? session, string? user, string? exp, string? kid, string? file, string? sig)
    {
        if (!Guid.TryParse(lessonId, out var lesson) || !Guid.TryParse(session, out var sessionId) || !Guid.TryParse(user, out var userId)
            || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || string.IsNullOrEmpty(sig))
        {
            return (null, "The media link is incomplete or malformed.");
        }

        var keys = options.Value.Keys();
        var candidates = kid is null ? keys.All : keys.Find(kid) is { } named ? [named] : [];
        var given = Encoding.ASCII.GetBytes(sig);
        if (!candidates.Any(key => CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(Signature(key, lesson, sessionId, userId, expires, kid, file)), given)))
        {
            return (null, "The media link's signature is not valid.");
        }

        return time.GetUtcNow().ToUnixTimeSeconds() >= expires
            ? (null, "The media link has expired.")
            : (new MediaGrant(lesson, sessionId, userId, file), null);
    }

    public static string PathOf(Guid lessonId) => $"/media/lessons/{lessonId:D}";

    /// <summary>
    /// The key id and the file are signed too, when the URL has them, so neither can be swapped. The file's line is
    /// labelled: a key id (base64url) never starts with <c>file=</c>, so the two cannot be confused.
    /// </summary>
    private static string Signature(SigningKey key, Guid lessonId, Guid sessionId, Guid userId, long exp, string? kid, string? file)
    {
        var canonical = $"{PathOf(lessonId)}\n{sessionId:D}\n{userId:D}\n{exp.ToString(CultureInfo.InvariantCulture)}";
        if (kid is not null)
        {
            canonical += $"\n{kid}";
        }

        if (file is not null)
        {
            canonical += $"\nfile={file}";
        }

        return Base64Url.EncodeToString(HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes(canonical)));
    }
}
