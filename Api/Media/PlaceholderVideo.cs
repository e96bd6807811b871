using System.Buffers.Binary;
using System.Text;

namespace Learning.Api.Media;

/// <summary>
/// What Development serves for a lesson without a file: a 64 KiB ISO-BMFF file (an <c>ftyp</c> box and a
/// <c>free</c> box) that players recognise as MP4 and range requests can page through. It has no frames.
/// </summary>
public static class PlaceholderVideo
{
    public static readonly byte[] Bytes = Build(64 * 1024);

    private static byte[] Build(int size)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 24);
        Encoding.ASCII.GetBytes("ftypisom").CopyTo(bytes, 4);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 0x200);
        Encoding.ASCII.GetBytes("isommp41").CopyTo(bytes, 16);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(24), size - 24);
        Encoding.ASCII.GetBytes("free").CopyTo(bytes, 28);
        return bytes;
    }
}
