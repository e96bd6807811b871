using System.Security.Cryptography;
using System.Text;

namespace Learning.Catalog;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5): every process derives the same id for the same catalog entry,
/// so ids survive restarts and agree across silos and API instances without being stored.
/// </summary>
public static class StableId
{
    private static readonly Guid Namespace = new("6f1c2b9e-3d4a-4f5e-9a8b-7c6d5e4f3a2b");

    public static Guid From(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(name.Length)];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
