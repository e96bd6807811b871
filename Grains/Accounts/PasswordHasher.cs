using System.Security.Cryptography;
using System.Text;
using Learning.Hosting;
using Microsoft.Extensions.Options;

namespace Learning.Accounts;

/// <summary>
/// PBKDF2-HMAC-SHA512, at least the OWASP ASVS 5.0 minimum of 210,000 iterations outside Development. The encoded
/// form names its algorithm and iteration count, so a stored hash verifies whatever the current setting is.
/// </summary>
public sealed class PasswordHasher
{
    public const int MinimumIterations = 210_000;
    private const string Scheme = "pbkdf2-sha512";
    private const int SaltBytes = 16;
    private const int HashBytes = 64;

    private readonly int _iterations;
    private readonly BusinessMetrics? _metrics;

    // Verifying against this makes a login for an unknown email cost what a wrong password costs.
    private readonly Lazy<string> _dummyHash;

    public PasswordHasher(IOptions<AccountOptions> options, BusinessMetrics? metrics = null)
    {
        _iterations = options.Value.PasswordHashIterations;
        _metrics = metrics;
        _dummyHash = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))));
    }

    public string Hash(string password)
    {
        _metrics?.PasswordHashes.Add(1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, _iterations);
        return $"{Scheme}${_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1)
        {
            return false;
        }

        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        return CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), expected);
    }

    /// <summary>Spends the time of a real verification and always fails.</summary>
    public void VerifyAgainstDummy(string password) => Verify(password, _dummyHash.Value);

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
}
