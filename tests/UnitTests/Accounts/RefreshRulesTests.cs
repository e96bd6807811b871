using Learning.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Accounts;

public sealed class RefreshRulesTests
{
    private static readonly AccountOptions Options = new() { RefreshTokenLifetime = TimeSpan.FromDays(30), MaxRefreshFamilies = 3 };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void The_current_token_of_a_live_family_rotates()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options);

        var (found, decision) = RefreshRules.Decide([family], "h1", Now);

        Assert.Same(family, found);
        Assert.Equal(RefreshDecision.Rotate, decision);
    }

    [Fact]
    public void A_rotated_token_is_reuse_and_the_new_one_works()
    {
        var family = RefreshRules.Rotate(RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options), "h2", Now, Options);

        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([family], "h1", Now).Decision);
        Assert.Equal(RefreshDecision.Rotate, RefreshRules.Decide([family], "h2", Now).Decision);
    }

    [Fact]
    public void An_unknown_token_is_invalid()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options);

        var (found, decision) = RefreshRules.Decide([family], "other", Now);

        Assert.Null(found);
        Assert.Equal(RefreshDecision.Invalid, decision);
    }

    [Fact]
    public void A_token_expires_after_the_refresh_lifetime_and_each_rotation_restarts_it()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options);
        _clock.Advance(TimeSpan.FromDays(20));
        family = RefreshRules.Rotate(family, "h2", Now, Options);
        _clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(RefreshDecision.Rotate, RefreshRules.Decide([family], "h2", Now).Decision);

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([family], "h2", Now).Decision);
    }

    [Fact]
    public void A_revoked_family_refuses_its_current_token_and_its_access_tokens()
    {
        var family = RefreshRules.Revoke(RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options), Now);

        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([family], "h1", Now).Decision);
        Assert.False(RefreshRules.IsLive(family));
        Assert.False(RefreshRules.IsLive(null));
    }

    [Fact]
    public void Rotation_history_is_bounded()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h0", Now, Options);
        for (var i = 1; i <= RefreshRules.RememberedRotations + 5; i++)
        {
            family = RefreshRules.Rotate(family, $"h{i}", Now, Options);
        }

        Assert.Equal(RefreshRules.RememberedRotations, family.RotatedHashes.Length);
        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([family], "h0", Now).Decision);
        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([family], $"h{RefreshRules.RememberedRotations + 4}", Now).Decision);
    }

    [Fact]
    public void Prune_forgets_long_dead_families_and_revokes_the_oldest_beyond_the_limit()
    {
        var families = new Dictionary<Guid, RefreshFamily>();
        var dead = RefreshRules.Revoke(RefreshRules.Start(Guid.NewGuid(), "dead", Now, Options), Now);
        families[dead.Id] = dead;
        _clock.Advance(RefreshRules.DeadFamilyRetention + TimeSpan.FromSeconds(1));
        var live = new List<RefreshFamily>();
        for (var i = 0; i < 4; i++)
        {
            var family = RefreshRules.Start(Guid.NewGuid(), $"live{i}", Now, Options);
            families[family.Id] = family;
            live.Add(family);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        var pruned = RefreshRules.Prune(families, Now, Options);

        Assert.DoesNotContain(dead.Id, pruned.Keys);
        Assert.True(pruned[live[0].Id].IsRevoked);
        Assert.All(live.Skip(1), f => Assert.False(pruned[f.Id].IsRevoked));
    }
}
