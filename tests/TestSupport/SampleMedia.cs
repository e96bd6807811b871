using System.Buffers.Binary;
using System.Text;

namespace Learning.TestSupport;

/// <summary>
/// Small but valid lesson files for upload tests: an MP4 is an <c>ftyp</c> box, a <c>moov</c> box whose <c>mvhd</c>
/// states the duration, and an <c>mdat</c> box of patterned bytes (distinct per <c>seed</c>, so two uploads differ).
/// </summary>
public static class SampleMedia
{
    public static byte[] Mp4(double durationSeconds, int mediaBytes = 16 * 1024, byte seed = 1)
    {
        var mvhd = new byte[100];
        const uint timescale = 1000;
        BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(12), timescale);
        BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(16), (uint)Math.Round(durationSeconds * timescale));
        BinaryPrimitives.WriteUInt32BigEndian(mvhd.AsSpan(20), 0x00010000); // rate 1.0
        return [
            .. Box("ftyp", [.. "isom"u8, 0, 0, 2, 0, .. "isomiso2mp41"u8]),
            .. Box("moov", Box("mvhd", mvhd)),
            .. Box("mdat", Pattern(mediaBytes, seed)),
        ];
    }

    /// <summary>A WebM file: the EBML header, then a segment whose Info states the duration (1 ms timecode scale).</summary>
    public static byte[] WebM(double durationSeconds, int mediaBytes = 4 * 1024, byte seed = 1)
    {
        var duration = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(duration, durationSeconds * 1000);
        var header = Element([0x1A, 0x45, 0xDF, 0xA3], [.. Element([0x42, 0x86], [1]), .. Element([0x42, 0x82], "webm"u8.ToArray())]);
        var info = Element([0x15, 0x49, 0xA9, 0x66], [.. Element([0x2A, 0xD7, 0xB1], [0x0F, 0x42, 0x40]), .. Element([0x44, 0x89], duration)]);
        var cluster = Element([0x1F, 0x43, 0xB6, 0x75], Pattern(mediaBytes, seed));
        return [.. header, .. Element([0x18, 0x53, 0x80, 0x67], [.. info, .. cluster])];
    }

    public static byte[] Text(int bytes) => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("This is not a video. ", bytes / 21 + 1)))[..bytes];

    private static byte[] Box(string type, byte[] payload)
    {
        var box = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        payload.CopyTo(box, 8);
        return box;
    }

    private static byte[] Element(byte[] id, byte[] payload)
    {
        var size = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(size, (uint)payload.Length | (1UL << 56));
        return [.. id, .. size, .. payload];
    }

    private static byte[] Pattern(int length, byte seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * 31 + seed * 17) % 251))];
}
