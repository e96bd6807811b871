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
        Assert.Contains(reason, PasswordPolicy.Check(password, "alice@example.com", "Alice Liddell"));
    }

    [Fact]
    public void Policy_accepts_a_hard_to_guess_password() =>
        Assert.Null(PasswordPolicy.Check("correct horse battery staple", "alice@example.com", "Alice Liddell"));

    [Theory]
    [InlineData("password123", "commonly used")]
    [InlineData("correct horse", "easy to guess")]
    [InlineData("qwertyuiop", "commonly used")]
    [InlineData("zxcvbnm,./", "keys")]
    [InlineData("abcdefghijk", "Sequences")]
    [InlineData("aaaaaaaaaaaa", "Repeats")]
    public void Policy_refuses_common_and_guessable_passwords_saying_why(string password, string reason)
    {
        var problem = PasswordPolicy.Check(password, "alice@example.com", "Alice Liddell");

        Assert.Contains(reason, problem);
        Assert.Contains("Add another word", problem);
    }

    [Theory]
    [InlineData("liddell-alice-1")]
    [InlineData("wonderland.alice")]
    [InlineData("alicewonderland")]
    [InlineData("liddell-wonderland-rabbit")]
    public void Policy_refuses_passwords_built_from_the_users_name_or_email(string password)
    {
        var problem = PasswordPolicy.Check(password, "alice.wonderland@example.com", "Alice Liddell");

        Assert.Contains("your name or email", problem);
    }

    [Fact]
    public void The_same_password_passes_for_another_user() =>
        Assert.Null(PasswordPolicy.Check("liddell-wonderland-rabbit", "bob@example.com", "Bob Smith"));

    [Fact]
    public void User_words_are_the_email_its_local_part_and_pieces_and_the_name_and_its_parts() =>
        Assert.Equal(["ada.king@example.com", "ada.king", "ada lovelace", "ada", "king", "lovelace"],
            PasswordPolicy.UserWords("ada.king@example.com", " Ada Lovelace "));

    [Fact]
    public void A_password_change_must_not_keep_the_current_password()
    {
        Assert.Contains("differ from the current", PasswordPolicy.CheckChange("correct horse battery staple", "correct horse battery staple", "alice@example.com", "Alice"));
        Assert.Null(PasswordPolicy.CheckChange("correct horse battery staple", "velvet-canyon-marmalade", "alice@example.com", "Alice"));
    }

    [Fact]
    public void Only_the_first_characters_are_scored_so_a_long_password_costs_little()
    {
        var strongTail = "velvet-canyon-marmalade";
        Assert.Null(PasswordPolicy.Check("aaaa" + strongTail, "alice@example.com", "Alice"));

        Assert.NotNull(PasswordPolicy.Check(new string('a', PasswordPolicy.StrengthCheckedLength) + strongTail, "alice@example.com", "Alice"));
    }

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
        Assert.False(RefreshTokenCodec.TryReadUserId(token[..^1] + "!", out _));
    }

    [Fact]
    public void Emails_compare_trimmed_and_case_insensitively() =>
        Assert.Equal("alice@example.com", EmailAddress.Normalize("  Alice@Example.COM "));
}
