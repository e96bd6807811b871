using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Learning.Api.Security;

/// <summary>One HMAC key and the id (<c>kid</c>) that names it in tokens and URLs.</summary>
public sealed record SigningKey(string Id, byte[] Bytes);

/// <summary>
/// The current signing key and the previous ones still accepted, so a key can be rotated without signing anyone out:
/// sign with <see cref="Current"/>, accept any of <see cref="All"/>. Ids are derived from the keys, so every host
/// agrees on them and operators have none to manage.
/// </summary>
public sealed class SigningKeyRing
{
    public SigningKeyRing(string current, IEnumerable<string> previous)
    {
        Current = Of(current);
        All = [Current, .. previous.Where(k => !string.IsNullOrEmpty(k) && k != current).Distinct().Select(Of)];
    }

    public SigningKey Current { get; }

    /// <summary>The current key first, then the previous ones.</summary>
    public IReadOnlyList<SigningKey> All { get; }

    public SigningKey? Find(string? id) => All.FirstOrDefault(k => k.Id == id);

    /// <summary>A one-way, domain-separated digest of the key: naming a key never reveals it.</summary>
    public static string IdOf(string key) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes("orleans-learning/kid/" + key)).AsSpan(0, 9));

    private static SigningKey Of(string key) => new(IdOf(key), Encoding.UTF8.GetBytes(key));
}
