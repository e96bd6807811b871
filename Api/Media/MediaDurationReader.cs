using System.Buffers.Binary;

namespace Learning.Api.Media;

/// <summary>
/// Reads the duration a container states about itself: MP4 <c>moov/mvhd</c> (version 0 or 1: duration over
/// timescale), WebM <c>Segment/Info/Duration</c> (in units of <c>TimecodeScale</c> nanoseconds, default 1 ms). It walks
/// box and element headers with seeks, never the media data, so a 2 GiB file costs a few reads. Anything malformed,
/// absent or unknown gives null: the lesson then keeps the duration the operator set.
/// </summary>
public static class MediaDurationReader
{
    /// <summary>Bounds the walk over a hostile file made of millions of empty boxes.</summary>
    private const int MaxElements = 10_000;

    public static double? ReadSeconds(MediaFormat format, Stream file)
    {
        try
        {
            return format == MediaFormat.WebM ? ReadWebM(file) : ReadMp4(file);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    private static double? ReadMp4(Stream file)
    {
        var budget = MaxElements;
        return FindBox(file, 0, file.Length, "moov"u8, ref budget) is { } moov
               && FindBox(file, moov.Start, moov.End, "mvhd"u8, ref budget) is { } mvhd
            ? ReadMvhd(file, mvhd.Start, mvhd.End)
            : null;
    }

    /// <summary>The payload range of the first box of <paramref name="type"/> among the boxes in [start, end).</summary>
    private static (long Start, long End)? FindBox(Stream file, long start, long end, ReadOnlySpan<byte> type, ref int budget)
    {
        Span<byte> header = stackalloc byte[16];
        for (var position = start; position + 8 <= end && budget-- > 0;)
        {
            file.Position = position;
            file.ReadExactly(header[..8]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var headerLength = 8;
            if (size == 1)
            {
                file.ReadExactly(header[8..16]);
                size = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(header[8..]), long.MaxValue);
                headerLength = 16;
            }
            else if (size == 0)
            {
                size = end - position; // the last box runs to the end of its parent
            }

            if (size < headerLength || size > end - position)
            {
                return null;
            }

            if (header[4..8].SequenceEqual(type))
            {
                return (position + headerLength, position + size);
            }

            position += size;
        }

        return null;
    }

    private static double? ReadMvhd(Stream file, long start, long end)
    {
        Span<byte> body = stackalloc byte[32];
        var available = (int)Math.Min(body.Length, end - start);
        file.Position = start;
        file.ReadExactly(body[..available]);
        var version = available > 0 ? body[0] : (byte)0xFF;
        (ulong Timescale, ulong Duration, bool Unknown)? fields = version switch
        {
            0 when available >= 20 => (BinaryPrimitives.ReadUInt32BigEndian(body[12..]), BinaryPrimitives.ReadUInt32BigEndian(body[16..]),
                BinaryPrimitives.ReadUInt32BigEndian(body[16..]) == uint.MaxValue),
            1 when available >= 32 => (BinaryPrimitives.ReadUInt32BigEndian(body[20..]), BinaryPrimitives.ReadUInt64BigEndian(body[24..]),
                BinaryPrimitives.ReadUInt64BigEndian(body[24..]) == ulong.MaxValue),
            _ => null,
        };
        return fields is { Timescale: > 0, Unknown: false } f ? (double)f.Duration / f.Timescale : null;
    }

    private const uint EbmlHeaderId = 0x1A45DFA3;
    private const uint SegmentId = 0x18538067;
    private const uint InfoId = 0x1549A966;
    private const uint TimecodeScaleId = 0x2AD7B1;
    private const uint DurationId = 0x4489;

    private static double? ReadWebM(Stream file)
    {
        file.Position = 0;
        if (ReadElementHeader(file) is not { Id: EbmlHeaderId, Size: { } headerSize } || headerSize > file.Length)
        {
            return null;
        }

        file.Position += headerSize;
        if (ReadElementHeader(file) is not { Id: SegmentId } segment)
        {
            return null;
        }

        var segmentEnd = segment.Size is { } size ? Math.Min(file.Position + size, file.Length) : file.Length;
        for (var budget = MaxElements; file.Position < segmentEnd && budget > 0; budget--)
        {
            // Info comes before the media data in files players can stream; an element of unknown size (a live
            // cluster) cannot be skipped, so the walk stops there.
            if (ReadElementHeader(file) is not { Size: { } childSize } child || childSize > segmentEnd - file.Position)
            {
                return null;
            }

            if (child.Id == InfoId)
            {
                return ReadInfo(file, Math.Min(file.Position + childSize, segmentEnd));
            }

            file.Position += childSize;
        }

        return null;
    }

    private static double? ReadInfo(Stream file, long end)
    {
        ulong timecodeScale = 1_000_000;
        double? duration = null;
        Span<byte> value = stackalloc byte[8];
        while (file.Position < end)
        {
            if (ReadElementHeader(file) is not { Size: { } size } element || size > end - file.Position)
            {
                return null;
            }

            if (size > 8)
            {
                file.Position += size; // a title, an id: nothing read here
                continue;
            }

            file.ReadExactly(value[..(int)size]);
            switch (element.Id)
            {
                case TimecodeScaleId when size > 0:
                    timecodeScale = ReadUnsigned(value[..(int)size]);
                    break;
                case DurationId when size == 4:
                    duration = BinaryPrimitives.ReadSingleBigEndian(value);
                    break;
                case DurationId when size == 8:
                    duration = BinaryPrimitives.ReadDoubleBigEndian(value);
                    break;
            }
        }

        return duration is { } units && double.IsFinite(units) && units >= 0 && timecodeScale > 0
            ? units * timecodeScale / 1e9
            : null;
    }

    private readonly record struct ElementHeader(uint Id, long? Size);

    /// <summary>An EBML id (marker bits kept, 1 to 4 bytes) and size (marker removed, 1 to 8 bytes; all ones: unknown).</summary>
    private static ElementHeader? ReadElementHeader(Stream file)
    {
        if (ReadVariableInteger(file, maxLength: 4, keepMarker: true, out _) is not { } id
            || ReadVariableInteger(file, maxLength: 8, keepMarker: false, out var unknownSize) is not { } size)
        {
            return null;
        }

        return new ElementHeader((uint)id, unknownSize ? null : (long)Math.Min(size, long.MaxValue));
    }

    private static ulong? ReadVariableInteger(Stream file, int maxLength, bool keepMarker, out bool allOnes)
    {
        allOnes = false;
        var first = file.ReadByte();
        if (first <= 0)
        {
            return null; // end of file, or a zero first byte, which no valid length has
        }

        var length = System.Numerics.BitOperations.LeadingZeroCount((uint)first) - 23;
        if (length > maxLength)
        {
            return null;
        }

        var marker = 1UL << (8 - length);
        var value = keepMarker ? (ulong)first : (ulong)first & (marker - 1);
        var ones = ((ulong)first & (marker - 1)) == marker - 1;
        for (var i = 1; i < length; i++)
        {
            var next = file.ReadByte();
            if (next < 0)
            {
                throw new EndOfStreamException();
            }

            value = (value << 8) | (uint)next;
            ones &= next == 0xFF;
        }

        allOnes = !keepMarker && ones;
        return value;
    }

    private static ulong ReadUnsigned(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
