using Learning.Accounts;
using Microsoft.Extensions.Options;

namespace Learning.UnitTests.Accounts;

public sealed class PasswordTests
{
    [Theory]
    [InlineData("short1!", "at least 8")]
    [InlineData("12345678901", "numeric")]
    [InlineData("Alice@Example.com", "email")]
    public void Policy_refuses_weak_passwords(string password, string reason)
    {
        Assert.Contains(reason, PasswordPolicy.Check(password, "alice@example.com"));
    }

    [Fact]
    public void Policy_accepts_a_reasonable_password() => Assert.Null(PasswordPolicy.Check("correct horse", "alice@example.com"));

    private static readonly PasswordHasher Hasher = new(Options.Create(new AccountOptions()));

    [Fact]
    public void Hash_verifies_the_right_password_only_and_records_its_strength()
    {
        var hash = Hasher.Hash("correct horse");

        Assert.True(PasswordHasher.Verify("correct horse", hash));
        Assert.False(PasswordHasher.Verify("correct horsE", hash));
        Assert.StartsWith("pbkdf2-sha512$210000$", hash);
    }

    [Fact]
    public void A_hash_made_with_another_iteration_count_still_verifies()
    {
        var weak = new PasswordHasher(Options.Create(new AccountOptions { PasswordHashIterations = 1000 })).Hash("correct horse");

        Assert.StartsWith("pbkdf2-sha512$1000$", weak);
        Assert.True(PasswordHasher.Verify("correct horse", weak));
    }

    [Fact]
    public void Hashes_are_salted() => Assert.NotEqual(Hasher.Hash("same password"), Hasher.Hash("same password"));

    [Fact]
    public void A_malformed_hash_never_verifies() => Assert.False(PasswordHasher.Verify("anything", "md5$abc"));

    [Fact]
    public void Refresh_tokens_carry_their_user_and_nothing_else_parses()
    {
        var userId = Guid.NewGuid();
        var token = RefreshTokenCodec.Issue(userId);

        Assert.True(RefreshTokenCodec.TryReadUserId(token, out var read));
        Assert.Equal(userId, read);
        Assert.NotEqual(token, RefreshTokenCodec.Issue(userId));
        Assert.False(RefreshTokenCodec.TryReadUserId("not-a-token", out _));
        Assert.False(RefreshTokenCodec.TryReadUserId(token[..^2], out _));
    }

    [Fact]
    public void Emails_compare_trimmed_and_case_insensitively() =>
        Assert.Equal("alice@example.com", EmailAddress.Normalize("  Alice@Example.COM "));
}
