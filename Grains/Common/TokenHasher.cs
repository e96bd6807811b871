using System.Security.Cryptography;
using System.Text;

namespace Learning.Common;

/// <summary>
/// How secret tokens (refresh tokens, playback session tokens) are kept: only a SHA-256 of the token, as upper-case
/// hex. The tokens carry at least 32 random bytes, so an unsalted fast hash is enough and lets a presented token be
/// found by its hash.
/// </summary>
public static class TokenHasher
{
    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
