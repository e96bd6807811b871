using Learning.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Accounts;

/// <summary>Repeated logins must not grow a user's state: live and revoked refresh families are both bounded.</summary>
public sealed class RefreshFamilyBoundsTests
{
    private static readonly AccountOptions Options = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void Five_hundred_logins_keep_at_most_the_live_limit_plus_the_revoked_limit_of_families()
    {
        var families = new Dictionary<Guid, RefreshFamily>();
        for (var login = 0; login < 500; login++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            var family = RefreshRules.Start(Guid.NewGuid(), $"login-{login}", Now, Options);
            // Each sign-in is used for a while: its tokens rotate past what a family remembers.
            for (var rotation = 0; rotation < 40; rotation++)
            {
                family = RefreshRules.Rotate(family, $"login-{login}-{rotation}", Now, Options);
            }

            families[family.Id] = family;
            families = RefreshRules.Prune(families, Now, Options);
        }

        Assert.Equal(Options.MaxRefreshFamilies, families.Values.Count(f => !f.IsRevoked));
        Assert.Equal(RefreshRules.RevokedFamiliesKept, families.Values.Count(f => f.IsRevoked));
        var hashes = families.Values.Sum(f => 1 + f.RotatedHashes.Length);
        Assert.True(hashes <= Options.MaxRefreshFamilies * (1 + RefreshRules.RememberedRotations)
            + RefreshRules.RevokedFamiliesKept * (1 + RefreshRules.RevokedRotationsKept), $"{hashes} hashes remembered");
    }

    [Fact]
    public void The_newest_revoked_families_are_the_ones_kept()
    {
        var families = new Dictionary<Guid, RefreshFamily>();
        var first = Guid.Empty;
        for (var login = 0; login < Options.MaxRefreshFamilies + RefreshRules.RevokedFamiliesKept + 5; login++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            var family = RefreshRules.Start(Guid.NewGuid(), $"login-{login}", Now, Options);
            first = login == 0 ? family.Id : first;
            families[family.Id] = family;
            families = RefreshRules.Prune(families, Now, Options);
        }

        Assert.DoesNotContain(first, families.Keys);
        // The family evicted last (the 21st newest login) is the newest revoked one and is still remembered.
        var newestRevoked = families.Values.Where(f => f.IsRevoked).MaxBy(f => f.RevokedAt)!;
        Assert.Equal(Now, newestRevoked.RevokedAt);
    }

    [Fact]
    public void A_revoked_family_remembers_only_its_newest_replaced_tokens_which_still_answer_reuse()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h0", Now, Options);
        for (var i = 1; i <= 10; i++)
        {
            family = RefreshRules.Rotate(family, $"h{i}", Now, Options);
        }

        var revoked = RefreshRules.Revoke(family, Now);

        Assert.Equal(RefreshRules.RevokedRotationsKept, revoked.RotatedHashes.Length);
        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([revoked], "h9", Now, Options).Decision);
        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([revoked], $"h{10 - RefreshRules.RevokedRotationsKept}", Now, Options).Decision);
        // Older ones are forgotten: invalid_token, as for a token of a family forgotten altogether.
        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([revoked], "h1", Now, Options).Decision);
        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([revoked], "h10", Now, Options).Decision);
        Assert.False(RefreshRules.IsLive(null));
    }
}
