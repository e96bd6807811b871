using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Learning.Audit;

/// <summary>
/// UUIDv7 ids that increase within this process even inside one millisecond (RFC 9562, method 1: a 12-bit
/// counter in <c>rand_a</c>), so entries written by one command, such as <c>login_failed</c> then
/// <c>account_locked</c>, keep their order when sorted by time and id.
/// </summary>
public static class AuditIds
{
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds;
    private static int _counter;

    public static Guid Next(DateTimeOffset now)
    {
        long milliseconds;
        int counter;
        lock (Gate)
        {
            milliseconds = Math.Max(now.ToUnixTimeMilliseconds(), _lastMilliseconds);
            _counter = milliseconds == _lastMilliseconds ? _counter + 1 : 0;
            if (_counter > 0xFFF)
            {
                // 4096 ids in one millisecond: borrow the next millisecond rather than repeat an order.
                milliseconds++;
                _counter = 0;
            }

            _lastMilliseconds = milliseconds;
            counter = _counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
