using System.Collections.Immutable;
using Learning.Email.Codes;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Email.Codes;

public sealed class EmailLinkRulesTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void A_verification_link_works_for_24_hours()
    {
        var links = EmailVerificationRules.Issue([], "A", Now);

        _clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.True(EmailVerificationRules.Accepts(links, "A", Now));
        Assert.False(EmailVerificationRules.Accepts(links, "B", Now));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(EmailVerificationRules.Accepts(links, "A", Now));
    }

    [Fact]
    public void Verification_links_are_sent_at_least_60_seconds_apart()
    {
        ImmutableList<IssuedLink> links = [];
        Assert.Null(EmailVerificationRules.ResendWait(links, Now));

        links = EmailVerificationRules.Issue(links, "A", Now);
        _clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(TimeSpan.FromSeconds(15), EmailVerificationRules.ResendWait(links, Now));

        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Null(EmailVerificationRules.ResendWait(links, Now));
    }

    [Fact]
    public void Earlier_verification_links_keep_working_but_only_the_newest_five_are_kept()
    {
        ImmutableList<IssuedLink> links = [];
        for (var i = 0; i < 7; i++)
        {
            links = EmailVerificationRules.Issue(links, $"link-{i}", Now);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(EmailVerificationRules.LinksKept, links.Count);
        Assert.True(EmailVerificationRules.Accepts(links, "link-2", Now));
        Assert.True(EmailVerificationRules.Accepts(links, "link-6", Now));
        Assert.False(EmailVerificationRules.Accepts(links, "link-1", Now));
    }

    [Fact]
    public void Expired_verification_links_are_forgotten_when_a_new_one_is_issued()
    {
        var links = EmailVerificationRules.Issue([], "old", Now);
        _clock.Advance(TimeSpan.FromHours(25));

        links = EmailVerificationRules.Issue(links, "new", Now);

        Assert.Equal("new", Assert.Single(links).Hash);
    }

    [Fact]
    public void A_reset_link_works_for_30_minutes()
    {
        var reset = PasswordResetRules.Issue(PasswordResetState.None, "A", Now);

        _clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        Assert.True(PasswordResetRules.Accepts(reset, "A", Now));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(PasswordResetRules.Accepts(reset, "A", Now));
    }

    [Fact]
    public void A_new_reset_link_invalidates_the_previous_one()
    {
        var reset = PasswordResetRules.Issue(PasswordResetState.None, "first", Now);
        _clock.Advance(TimeSpan.FromMinutes(1));

        reset = PasswordResetRules.Issue(reset, "second", Now);

        Assert.False(PasswordResetRules.Accepts(reset, "first", Now));
        Assert.True(PasswordResetRules.Accepts(reset, "second", Now));
    }

    [Fact]
    public void A_reset_link_works_once()
    {
        var reset = PasswordResetRules.Issue(PasswordResetState.None, "A", Now);

        reset = PasswordResetRules.Consume(reset);

        Assert.False(PasswordResetRules.Accepts(reset, "A", Now));
    }

    [Fact]
    public void Reset_mails_are_sent_at_most_once_a_minute()
    {
        var reset = PasswordResetRules.Issue(PasswordResetState.None, "A", Now);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(PasswordResetRules.MaySend(reset, Now));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(PasswordResetRules.MaySend(reset, Now));
    }

    [Fact]
    public void Reset_mails_are_sent_at_most_five_times_an_hour()
    {
        var reset = PasswordResetState.None;
        var first = Now;
        for (var i = 0; i < 5; i++)
        {
            Assert.True(PasswordResetRules.MaySend(reset, Now));
            reset = PasswordResetRules.Issue(reset, $"link-{i}", Now);
            _clock.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.False(PasswordResetRules.MaySend(reset, Now));

        _clock.Advance(first + TimeSpan.FromHours(1) - Now);
        Assert.True(PasswordResetRules.MaySend(reset, Now));
    }

    [Fact]
    public void The_reset_send_history_stays_bounded_and_survives_using_a_link()
    {
        var reset = PasswordResetState.None;
        for (var i = 0; i < 50; i++)
        {
            reset = PasswordResetRules.Consume(PasswordResetRules.Issue(reset, $"link-{i}", Now));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.InRange(reset.Sends.Count, 1, PasswordResetRules.MaxPerWindow);
        Assert.Null(reset.Link);
    }
}
