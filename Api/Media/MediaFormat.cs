using Microsoft.Net.Http.Headers;

namespace Learning.Api.Media;

/// <summary>
/// The containers lessons may be uploaded in, recognised by their first bytes: an MP4 (ISO-BMFF) file starts with a
/// box whose type, bytes 4 to 8, is <c>ftyp</c>; a WebM (Matroska) file starts with the EBML header id <c>1A 45 DF A3</c>.
/// </summary>
public sealed record MediaFormat(string ContentType, string Extension)
{
    public static readonly MediaFormat Mp4 = new("video/mp4", ".mp4");
    public static readonly MediaFormat WebM = new("video/webm", ".webm");

    /// <summary>How many leading bytes <see cref="Matches"/> needs.</summary>
    public const int SniffLength = 8;

    private static readonly MediaFormat[] All = [Mp4, WebM];

    /// <summary>The format an upload's <c>Content-Type</c> names (parameters ignored), or null for anything else.</summary>
    public static MediaFormat? OfContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            ? All.FirstOrDefault(f => parsed.MediaType.Equals(f.ContentType, StringComparison.OrdinalIgnoreCase))
            : null;

    /// <summary>The format of a stored file, by the extension the upload gave it.</summary>
    public static MediaFormat OfFileName(string fileName) =>
        All.FirstOrDefault(f => fileName.EndsWith(f.Extension, StringComparison.OrdinalIgnoreCase)) ?? Mp4;

    /// <summary>Whether <paramref name="head"/>, the file's first <see cref="SniffLength"/> bytes (fewer if it is shorter), starts like this format.</summary>
    public bool Matches(ReadOnlySpan<byte> head) => this == WebM
        ? head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])
        : head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8);

    public string Describe() => this == WebM ? "a WebM file (EBML header)" : "an MP4 file (ftyp box)";
}
