using Learning.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Accounts;

public sealed class RefreshRulesTests
{
    private static readonly AccountOptions Options = new() { RefreshTokenLifetime = TimeSpan.FromDays(30), MaxRefreshFamilies = 3 };
    private static readonly AccountOptions WithGrace = new() { RefreshTokenLifetime = TimeSpan.FromDays(30), RefreshReuseGrace = TimeSpan.FromSeconds(30) };
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void The_current_token_of_a_live_family_rotates()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options);

        var (found, decision) = RefreshRules.Decide([family], "h1", Now, Options);

        Assert.Same(family, found);
        Assert.Equal(RefreshDecision.Rotate, decision);
    }

    [Fact]
    public void A_rotated_token_is_reuse_and_the_new_one_works()
    {
        var family = RefreshRules.Rotate(RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options), "h2", Now, Options);

        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([family], "h1", Now, Options).Decision);
        Assert.Equal(RefreshDecision.Rotate, RefreshRules.Decide([family], "h2", Now, Options).Decision);
    }

    [Fact]
    public void An_unknown_token_is_invalid()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options);

        var (found, decision) = RefreshRules.Decide([family], "other", Now, Options);

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
        Assert.Equal(RefreshDecision.Rotate, RefreshRules.Decide([family], "h2", Now, Options).Decision);

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([family], "h2", Now, Options).Decision);
    }

    [Fact]
    public void A_family_ends_at_its_absolute_lifetime_whatever_its_rotations()
    {
        var options = new AccountOptions { RefreshTokenLifetime = TimeSpan.FromDays(30), RefreshFamilyLifetime = TimeSpan.FromDays(90) };
        var family = RefreshRules.Start(Guid.NewGuid(), "h0", Now, options);
        for (var i = 1; i <= 3; i++)
        {
            _clock.Advance(TimeSpan.FromDays(29));
            Assert.Equal(RefreshDecision.Rotate, RefreshRules.Decide([family], $"h{i - 1}", Now, options).Decision);
            family = RefreshRules.Rotate(family, $"h{i}", Now, options);
        }

        Assert.Equal(family.CreatedAt + TimeSpan.FromDays(90), family.CurrentExpiresAt);
        _clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1));
        Assert.Equal(RefreshDecision.Rotate, RefreshRules.Decide([family], "h3", Now, options).Decision);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([family], "h3", Now, options).Decision);
    }

    [Fact]
    public void A_shorter_family_lifetime_applies_to_families_already_started()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options);
        _clock.Advance(TimeSpan.FromDays(10));

        var shorter = new AccountOptions { RefreshTokenLifetime = TimeSpan.FromDays(1), RefreshFamilyLifetime = TimeSpan.FromDays(10) };

        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([family], "h1", Now, shorter).Decision);
    }

    [Fact]
    public void Without_a_grace_the_just_rotated_token_is_reuse_at_once()
    {
        var family = RefreshRules.Rotate(RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options), "h2", Now, Options);

        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([family], "h1", Now, Options).Decision);
    }

    [Fact]
    public void Within_the_grace_the_just_rotated_token_is_a_retry_and_the_grace_runs_from_the_first_rotation()
    {
        var family = RefreshRules.Rotate(RefreshRules.Start(Guid.NewGuid(), "h1", Now, WithGrace), "h2", Now, WithGrace);
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(RefreshDecision.Retry, RefreshRules.Decide([family], "h1", Now, WithGrace).Decision);
        family = RefreshRules.Retry(family, "h3", Now, WithGrace);
        Assert.Equal(RefreshDecision.Rotate, RefreshRules.Decide([family], "h3", Now, WithGrace).Decision);
        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([family], "h2", Now, WithGrace).Decision);

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(RefreshDecision.Retry, RefreshRules.Decide([family], "h1", Now, WithGrace).Decision);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([family], "h1", Now, WithGrace).Decision);
    }

    [Fact]
    public void The_grace_covers_only_the_immediately_previous_token_of_a_live_family()
    {
        var family = RefreshRules.Start(Guid.NewGuid(), "h1", Now, WithGrace);
        family = RefreshRules.Rotate(family, "h2", Now, WithGrace);
        family = RefreshRules.Rotate(family, "h3", Now, WithGrace);

        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([family], "h1", Now, WithGrace).Decision);
        Assert.Equal(RefreshDecision.Retry, RefreshRules.Decide([family], "h2", Now, WithGrace).Decision);
        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([RefreshRules.Revoke(family, Now)], "h2", Now, WithGrace).Decision);
    }

    [Fact]
    public void A_revoked_family_refuses_its_current_token_and_its_access_tokens()
    {
        var family = RefreshRules.Revoke(RefreshRules.Start(Guid.NewGuid(), "h1", Now, Options), Now);

        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([family], "h1", Now, Options).Decision);
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
        Assert.Equal(RefreshDecision.Invalid, RefreshRules.Decide([family], "h0", Now, Options).Decision);
        Assert.Equal(RefreshDecision.Reused, RefreshRules.Decide([family], $"h{RefreshRules.RememberedRotations + 4}", Now, Options).Decision);
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
