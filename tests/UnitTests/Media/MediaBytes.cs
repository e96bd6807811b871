using System.Buffers.Binary;
using System.Text;

namespace Learning.UnitTests.Media;

/// <summary>Hand-made container bytes: MP4 boxes and EBML elements, well-formed or broken on purpose.</summary>
internal static class MediaBytes
{
    public static byte[] Box(string type, params byte[][] payload)
    {
        var body = payload.SelectMany(p => p).ToArray();
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        body.CopyTo(box, 8);
        return box;
    }

    /// <summary>A box with a 64-bit size (size field 1), as large files write <c>mdat</c>.</summary>
    public static byte[] LargeBox(string type, byte[] payload)
    {
        var box = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, 1);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        BinaryPrimitives.WriteUInt64BigEndian(box.AsSpan(8), (ulong)box.Length);
        payload.CopyTo(box, 16);
        return box;
    }

    public static byte[] Ftyp() => Box("ftyp", "isom"u8.ToArray(), [0, 0, 2, 0], "isomiso2mp41"u8.ToArray());

    public static byte[] MvhdV0(uint timescale, uint duration)
    {
        var payload = new byte[100];
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(12), timescale);
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(16), duration);
        return Box("mvhd", payload);
    }

    public static byte[] MvhdV1(uint timescale, ulong duration)
    {
        var payload = new byte[112];
        payload[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(20), timescale);
        BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(24), duration);
        return Box("mvhd", payload);
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>An EBML element with a known size (written as an 8-byte size).</summary>
    public static byte[] Element(uint id, params byte[][] payload)
    {
        var body = payload.SelectMany(p => p).ToArray();
        var size = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(size, (uint)body.Length | (1UL << 56));
        return Concat(IdBytes(id), size, body);
    }

    /// <summary>An EBML element of unknown size (all value bits set), as live recordings write segments and clusters.</summary>
    public static byte[] UnknownSizeElement(uint id, params byte[][] payload) =>
        Concat(IdBytes(id), [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], payload.SelectMany(p => p).ToArray());

    public static byte[] EbmlHeader() => Element(0x1A45DFA3, Element(0x4286, [1]), Element(0x4282, "webm"u8.ToArray()));

    public static byte[] Float64(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        return bytes;
    }

    public static byte[] Float32(float value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleBigEndian(bytes, value);
        return bytes;
    }

    private static byte[] IdBytes(uint id) =>
        id > 0xFFFFFF ? [(byte)(id >> 24), (byte)(id >> 16), (byte)(id >> 8), (byte)id]
        : id > 0xFFFF ? [(byte)(id >> 16), (byte)(id >> 8), (byte)id]
        : id > 0xFF ? [(byte)(id >> 8), (byte)id]
        : [(byte)id];
}
