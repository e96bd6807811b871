using Learning.Email.Codes;

namespace Learning.UnitTests.Email.Codes;

public sealed class OneTimeSecretsTests
{
    [Fact]
    public void A_link_token_names_its_user_and_carries_32_random_bytes()
    {
        var userId = Guid.NewGuid();

        var token = OneTimeSecrets.NewLinkToken(userId);

        Assert.True(OneTimeSecrets.TryReadUserId(token, out var read));
        Assert.Equal(userId, read);
        Assert.Equal(OneTimeSecrets.LinkTokenLength, token.Length);
        Assert.NotEqual(token, OneTimeSecrets.NewLinkToken(userId));
        Assert.Matches("^[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}$", token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("0123456789abcdef0123456789abcdef-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcdeg.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!")]
    [InlineData("0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Text_not_shaped_like_a_link_token_names_no_user(string? token) =>
        Assert.False(OneTimeSecrets.TryReadUserId(token, out _));

    [Fact]
    public void Codes_are_six_digits_and_vary()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => OneTimeSecrets.NewCode()).ToList();

        Assert.All(codes, code => Assert.True(OneTimeSecrets.IsCodeShaped(code), code));
        Assert.True(codes.Distinct().Count() > 190);
    }

    [Theory]
    [InlineData("12345", false)]
    [InlineData("1234567", false)]
    [InlineData("12345a", false)]
    [InlineData("١٢٣٤٥٦", false)]
    [InlineData("000000", true)]
    public void Only_six_ascii_digits_are_code_shaped(string code, bool shaped) =>
        Assert.Equal(shaped, OneTimeSecrets.IsCodeShaped(code));

    [Fact]
    public void A_secret_hashes_differently_for_another_purpose_user_or_device()
    {
        var user = Guid.NewGuid();
        var hash = OneTimeSecrets.Hash(SecretPurposes.PasswordReset, user, "secret");

        Assert.True(OneTimeSecrets.SameHash(hash, OneTimeSecrets.Hash(SecretPurposes.PasswordReset, user, "secret")));
        Assert.False(OneTimeSecrets.SameHash(hash, OneTimeSecrets.Hash(SecretPurposes.VerifyEmail, user, "secret")));
        Assert.False(OneTimeSecrets.SameHash(hash, OneTimeSecrets.Hash(SecretPurposes.PasswordReset, Guid.NewGuid(), "secret")));
        Assert.False(OneTimeSecrets.SameHash(
            OneTimeSecrets.Hash(SecretPurposes.DeviceCode, user, "123456", "phone"),
            OneTimeSecrets.Hash(SecretPurposes.DeviceCode, user, "123456", "tablet")));
        Assert.DoesNotContain("secret", hash, StringComparison.OrdinalIgnoreCase);
    }
}
