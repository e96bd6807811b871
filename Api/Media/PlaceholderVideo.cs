namespace Learning.Api.Media;

/// <summary>
/// What Development serves for a lesson without a file (<c>Media:ServePlaceholders</c>): a real, playable video, so the
/// learner page plays in a browser. Five minutes of colour bars, VP8 in WebM at 320×180 and 2 frames a second (28 KB),
/// made with Debian's ffmpeg:
/// <c>ffmpeg -f lavfi -i "smptehdbars=size=320x180:rate=2:duration=300" -c:v libvpx -b:v 4k -crf 30 -g 600 -an -deadline good
/// -metadata title="Orleans.Learning placeholder" -fflags +bitexact PlaceholderVideo.webm</c>.
/// Long enough that a test's takeover happens while it still plays; lessons shorter than that stop reporting past
/// their own length (the learner page clamps the position).
/// </summary>
public static class PlaceholderVideo
{
    public static readonly MediaFormat Format = MediaFormat.WebM;

    public static readonly byte[] Bytes = Load();

    private static byte[] Load()
    {
        using var stream = typeof(PlaceholderVideo).Assembly.GetManifestResourceStream("Learning.Api.Media.PlaceholderVideo.webm")
            ?? throw new InvalidOperationException("The placeholder video is not embedded in the Api assembly.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
